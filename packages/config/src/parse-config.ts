import { checkText } from "./check-text.js";
import { describeSchemaError } from "./describe-schema-error.js";
import { displayPath, quote } from "./display-path.js";
import { createMembersFiles, type ReadMembersFile } from "./members-file.js";
import { parseYaml } from "./parse-yaml.js";
import { sortProblems, type ConfigProblem, type ConfigResult } from "./problems.js";
import { isRecord, readDesiredState } from "./read-desired-state.js";
import { validateSchema } from "./schema.js";
import { locate } from "./yaml-nodes.js";

/** Options of `parseConfig`. */
export interface ParseConfigOptions {
  /** File name used in problems (default `groups.yaml`). */
  readonly file?: string;
  /**
   * Reads the `members_file` of a group (its path relative to groups.yaml's folder). Without it,
   * a `members_file` is a problem: this caller reads no files.
   */
  readonly readMembersFile?: ReadMembersFile;
}

/**
 * Parses, validates and normalizes the text of a groups.yaml. Never throws for bad input: every
 * problem found is returned with its file, line and column (DESIGN.md §2).
 */
export function parseConfig(raw: string, options: ParseConfigOptions = {}): ConfigResult {
  const file = options.file ?? "groups.yaml";
  const checked = checkText(raw, file);
  if (!checked.ok) return checked;
  const { text, warnings } = checked;
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, warnings };
  const { doc, data, at } = parsed;

  // A file of another version may have another shape: say only that, not a page of schema errors.
  const version = isRecord(data) ? data["version"] : undefined;
  if (isRecord(data) && "version" in data && version !== 1) {
    const node = locate(doc, ["version"]).node;
    const shown = typeof version === "string" ? quote(version) : String(version ?? "(empty)");
    return {
      ok: false,
      warnings,
      problems: [
        at(
          "GS_CONFIG_UNKNOWN_VERSION",
          `version ${shown} is not supported; this groupsync reads version 1 only (supported versions: 1)`,
          node,
          "version",
        ),
      ],
    };
  }

  const problems: ConfigProblem[] = [];
  for (const error of validateSchema(data)) {
    const issue = describeSchemaError(error, data);
    if (!issue) continue;
    const found = locate(doc, issue.segments);
    const complete = found.depth === issue.segments.length;
    const node = issue.at === "key" && complete && found.pair ? found.pair.key : found.node;
    problems.push(at(issue.code, issue.message, node, displayPath(issue.segments, data) || undefined));
  }
  // A members file is read and parsed once, however many groups name it; its text goes with the
  // result, for the excerpts of its problems.
  const members = createMembersFiles(options.readMembersFile, file);
  const desired = readDesiredState(parsed, problems, members);
  const sources = members.texts.size === 0 ? {} : { sources: members.texts };
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems), warnings, ...sources };
  return { ok: true, desired, warnings, ...sources };
}
