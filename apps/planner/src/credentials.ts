import { CliError } from "./errors.js";

/** Where Square is, as the environment says. */
export interface Target {
  readonly token: string;
  readonly environment?: "production" | "sandbox";
  readonly baseUrl?: string;
  /** The endpoint, for messages and for the plan file (a plan applies only where it was made). */
  readonly endpoint: string;
}

const ENDPOINTS = {
  production: "https://connect.squareup.com",
  sandbox: "https://connect.squareupsandbox.com",
} as const;

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
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new CliError("GS_CLI_CREDENTIALS_INVALID", `SQUARE_BASE_URL is not a URL: "${baseUrl}".`, {
        hint: "For example SQUARE_BASE_URL=http://127.0.0.1:4010",
      });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new CliError(
        "GS_CLI_CREDENTIALS_INVALID",
        `SQUARE_BASE_URL must be an http(s) URL, not "${url.protocol}".`,
      );
    }
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
  return { token, environment, endpoint: ENDPOINTS[environment] };
}
