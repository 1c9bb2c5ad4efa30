import { checkBaseUrl, SQUARE_BASE_URLS } from "@groupsync/square";
import { CliError } from "./errors.js";
import { squareHint } from "./square-errors.js";

/** Where Square is, as the environment says. */
export interface Target {
  readonly token: string;
  readonly environment?: "production" | "sandbox";
  readonly baseUrl?: string;
  /** The endpoint, for messages and for the plan file (a plan applies only where it was made). */
  readonly endpoint: string;
}

/**
 * Reads SQUARE_ACCESS_TOKEN and SQUARE_ENVIRONMENT (production, the default, or sandbox) or
 * SQUARE_BASE_URL (any endpoint; it wins over SQUARE_ENVIRONMENT). The token never comes
 * from groups.yaml.
 */
export function readTarget(env: Readonly<Record<string, string | undefined>>): Target {
  const token = env["SQUARE_ACCESS_TOKEN"]?.trim() ?? "";
  if (token === "") {
    throw new CliError("GS_CLI_CREDENTIALS_MISSING", "SQUARE_ACCESS_TOKEN is not set.", {
      hint:
        "Export a Square access token with the CUSTOMERS_READ scope (CUSTOMERS_WRITE to apply): " +
        "Developer Dashboard > your app > Credentials. For a local emulator, use its token and SQUARE_BASE_URL.",
    });
  }
  const baseUrl = env["SQUARE_BASE_URL"]?.trim() ?? "";
  if (baseUrl !== "") {
    // The client's own check (plain http only for loopback, ...), made before the client exists.
    const checked = checkBaseUrl(baseUrl);
    if (!checked.ok) {
      const hint = squareHint(checked.code, checked.hint);
      throw new CliError(
        "GS_CLI_CREDENTIALS_INVALID",
        `SQUARE_BASE_URL ${checked.reason}.`,
        hint === undefined ? {} : { hint },
      );
    }
    const url = checked.url;
    return { token, baseUrl: url.origin + url.pathname.replace(/\/+$/, ""), endpoint: url.origin };
  }
  const environment = env["SQUARE_ENVIRONMENT"]?.trim().toLowerCase() || "production";
  if (environment !== "production" && environment !== "sandbox") {
    throw new CliError(
      "GS_CLI_CREDENTIALS_INVALID",
      `SQUARE_ENVIRONMENT must be "production" or "sandbox", not "${env["SQUARE_ENVIRONMENT"] ?? ""}".`,
      { hint: "Or set SQUARE_BASE_URL for any other endpoint." },
    );
  }
  return { token, environment, endpoint: SQUARE_BASE_URLS[environment] };
}
