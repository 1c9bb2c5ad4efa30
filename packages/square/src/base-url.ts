/** Base URLs of Square's two environments. */
export const SQUARE_BASE_URLS = {
  production: "https://connect.squareup.com",
  sandbox: "https://connect.squareupsandbox.com",
} as const;

export type SquareEnvironment = keyof typeof SQUARE_BASE_URLS;

/** Why {@link checkBaseUrl} refused a URL. */
export type BaseUrlErrorCode =
  /** Not a URL, not http(s), or it carries credentials, a query or a fragment. */
  | "GS_SQUARE_INVALID_BASE_URL"
  /** Plain `http:` to a host that is not loopback: the token would travel unencrypted. */
  | "GS_SQUARE_INSECURE_BASE_URL";

/** What {@link checkBaseUrl} found. */
export type BaseUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | {
      readonly ok: false;
      readonly code: BaseUrlErrorCode;
      /** What is wrong, to follow the URL's name: `is not a URL`, `must be an http(s) URL, ...`. */
      readonly reason: string;
      readonly hint?: string;
    };

/**
 * The one check of where a token may be sent (DESIGN.md §5: plain `http://` only for loopback),
 * used by `createSquareClient` and by callers that validate their input before building one.
 * The reason never repeats the URL: a refused URL may hold a password.
 */
export function checkBaseUrl(raw: string): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid("is not a URL", "Use e.g. https://connect.squareup.com.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return invalid(`must be an http(s) URL, not "${url.protocol}"`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    return invalid(
      "must not carry credentials, a query or a fragment",
      "Give the access token as the client's token only.",
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return {
      ok: false,
      code: "GS_SQUARE_INSECURE_BASE_URL",
      reason: `must not be plain http to ${url.host}, which is not a loopback host: the access token would travel unencrypted`,
      hint: "Use https://, or http:// only for a loopback host (127.0.0.1, localhost, ::1).",
    };
  }
  return { ok: true, url };
}

function invalid(reason: string, hint?: string): BaseUrlCheck {
  return { ok: false, code: "GS_SQUARE_INVALID_BASE_URL", reason, ...(hint === undefined ? {} : { hint }) };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)
  );
}
