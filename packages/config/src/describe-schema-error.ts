import type { ErrorObject } from "ajv";
import { describeValue, displayPath, quote, suggest } from "./display-path.js";
import type { ConfigProblemCode } from "./problems.js";
import { suggestGroupKey } from "./suggest-group-key.js";

/** An ajv error in words, and where to point: the key or the value at `segments`. */
export interface SchemaIssue {
  readonly code: ConfigProblemCode;
  readonly message: string;
  readonly segments: readonly string[];
  readonly at: "key" | "value";
}

const RULE_KEYS = ["email", "phone", "email_domain", "customer_id"];
const TYPE_WORDS: Record<string, string> = {
  object: "a mapping (key: value pairs)",
  array: "a list",
  string: "text",
  integer: "a whole number",
  number: "a number",
  null: "nothing",
  boolean: "true or false",
};

/** Splits an ajv instancePath (JSON pointer) into segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Turns one ajv error into a sentence for a non-programmer. Returns undefined for errors that
 * repeat another (`propertyNames` wraps the `pattern` error that names the key).
 */
export function describeSchemaError(error: ErrorObject, root: unknown): SchemaIssue | undefined {
  const segments = pointerSegments(error.instancePath);
  const path = displayPath(segments, root);
  const where = path === "" ? "the top level" : path;
  const last = segments[segments.length - 1] ?? "";
  const parent = segments[segments.length - 2];
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  const issue = (
    code: ConfigProblemCode,
    message: string,
    at: "key" | "value" = "value",
    at_ = segments,
  ) => ({
    code,
    message,
    segments: at_,
    at,
  });

  switch (error.keyword) {
    case "propertyNames":
      return undefined;
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const allowed = Object.keys((error.parentSchema?.["properties"] as object | undefined) ?? {});
      const guess = suggest(key, allowed);
      const hint = guess ? ` (did you mean '${guess}'?)` : `; allowed keys: ${allowed.join(", ")}`;
      return issue("GS_CONFIG_UNKNOWN_KEY", `${where}: unknown key '${key}'${hint}`, "key", [
        ...segments,
        key,
      ]);
    }
    case "required": {
      const key = String(params["missingProperty"]);
      if (segments.length === 0 && key === "version") {
        return issue("GS_CONFIG_MISSING_KEY", "the file has no 'version'; add 'version: 1' at the top");
      }
      if (segments.length === 0 && key === "groups") {
        return issue(
          "GS_CONFIG_MISSING_KEY",
          "the file has no 'groups:' key; list the groups under it (or 'groups: {}' for none)",
        );
      }
      const what = key === "name" ? " (the group's name in Square)" : "";
      return issue("GS_CONFIG_MISSING_KEY", `${where}: missing '${key}'${what}`, "key");
    }
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map((v) => String(v));
      if (path === "version") {
        return issue(
          "GS_CONFIG_UNKNOWN_VERSION",
          `version ${quote(data)} is not supported; this groupsync reads version 1 only (supported versions: ${allowed.join(", ")})`,
        );
      }
      return issue(
        "GS_CONFIG_INVALID_VALUE",
        `${where}: ${quote(data)} is not allowed; use one of: ${allowed.join(", ")}`,
      );
    }
    case "type": {
      const expected = ([] as string[])
        .concat(params["type"] as string | string[])
        .filter((t) => t !== "null");
      const words = expected.map((t) => TYPE_WORDS[t] ?? t).join(" or ");
      let hint = "";
      if (parent === "members" && typeof data === "string") {
        const kind = data.includes("@") ? "email" : /^[+\d(]/.test(data) ? "phone" : "customer_id";
        hint = ` (write each member as a rule, e.g. '- ${kind}: ${data}')`;
      } else if (expected.includes("string") && (typeof data === "number" || typeof data === "boolean")) {
        hint = ` (put it in quotes: "${String(data)}")`;
      } else if (last === "previously" && typeof data === "string") {
        hint = ` (write it as a list: [${data}])`;
      } else if (path === "groups" && data === null) {
        hint = " (write 'groups: {}' for none)";
      }
      const what = path === "" ? "the file must be" : `${where} must be`;
      return issue("GS_CONFIG_WRONG_TYPE", `${what} ${words}, but it is ${describeValue(data)}${hint}`);
    }
    case "pattern": {
      if (error.propertyName !== undefined) {
        const key = error.propertyName;
        const fixed = suggestGroupKey(key);
        const example = fixed !== "group" || /group/i.test(key) ? ` (e.g. '${fixed}')` : "";
        return issue(
          "GS_CONFIG_INVALID_GROUP_KEY",
          `${where}: group key '${key}' may only use lowercase letters, digits, '-' and '_', and must start with a letter or digit${example}`,
          "key",
          [...segments, key],
        );
      }
      if (last === "country") {
        return issue(
          "GS_CONFIG_INVALID_COUNTRY",
          `${where}: ${quote(data)} is not a two-letter country code such as US or GB`,
        );
      }
      if (last === "id" || last === "customer_id") {
        return issue(
          "GS_CONFIG_INVALID_VALUE",
          `${where}: ${quote(data)} is not a Square ID (an ID has no spaces)`,
        );
      }
      return issue("GS_CONFIG_INVALID_VALUE", `${where} must not be blank`);
    }
    case "minProperties":
      return issue(
        "GS_CONFIG_INVALID_RULE",
        `${where}: empty member rule; write one of ${RULE_KEYS.map((k) => `'${k}:'`).join(", ")}`,
      );
    case "maxProperties": {
      const keys = data !== null && typeof data === "object" ? Object.keys(data) : [];
      return issue(
        "GS_CONFIG_INVALID_RULE",
        `${where}: a member rule has exactly one key, this one has ${keys.length} (${keys.join(", ")}); put each on its own '- ' line`,
      );
    }
    case "minimum":
      return issue(
        "GS_CONFIG_INVALID_VALUE",
        `${where} must be ${String(params["limit"])} or more, but it is ${describeValue(data)}`,
      );
    default:
      return issue("GS_CONFIG_INVALID_VALUE", `${where} ${error.message ?? "is not valid"}`);
  }
}
