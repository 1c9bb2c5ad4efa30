import { parseConfig } from "../src/index.js";

/** Lines of a YAML document written indented in a test (leading newline and common indent removed). */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings }, ...values).replace(/^\n/, "");
  const indent = Math.min(
    ...raw
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => /^ */.exec(l)![0].length),
  );
  return raw
    .split("\n")
    .map((l) => l.slice(indent))
    .join("\n");
}

/** `line:col code: message` for each problem, or throws if the text parsed. */
export function problemsOf(text: string): string[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error("expected problems, but the config parsed");
  return result.problems.map((p) => `${p.line}:${p.col} ${p.code}: ${p.message}`);
}

/** The desired state, or throws with the problems. */
export function desiredOf(text: string) {
  const result = parseConfig(text);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join("\n"));
  return result.desired;
}
