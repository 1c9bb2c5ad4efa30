import { isAlias, parseDocument, visit, type Document, type YAMLError } from "yaml";
import { MAX_ALIAS_COUNT } from "./limits.js";
import { LineIndex } from "./positions.js";
import { sortProblems, type ConfigProblem, type ConfigProblemCode } from "./problems.js";
import { entries, items, span, type RangedNode } from "./yaml-nodes.js";

/** The options groups.yaml is parsed with: positions kept, duplicate keys rejected, no merge keys. */
export const YAML_PARSE_OPTIONS = {
  uniqueKeys: true,
  prettyErrors: false,
  merge: false,
  version: "1.2",
} as const;

/** Builds a problem pointing at a node (or 1:1 when there is none). */
export type At = (
  code: ConfigProblemCode,
  message: string,
  node: RangedNode | null | undefined,
  path?: string,
) => ConfigProblem;

/** A parsed document and its plain data, or the problems that stop there. */
export type Parsed =
  { ok: true; doc: Document; data: unknown; at: At } | { ok: false; problems: ConfigProblem[] };

/** YAML -> document (with positions) and plain data, or syntax/alias problems. */
export function parseYaml(text: string, file: string): Parsed {
  const lines = new LineIndex(text);
  const at: At = (code, message, node, path) => {
    const { offset, length } = span(node, text);
    return { code, message, file, ...lines.at(offset), length, ...(path ? { path } : {}) };
  };
  // Positions come from `lines` (only when there is a problem), so no yaml LineCounter.
  const doc = parseDocument(text, YAML_PARSE_OPTIONS);
  // yaml's warnings (an unknown tag such as `!secret`) are errors here: the file means nothing else.
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) {
    const duplicates = duplicateKeyMessages(doc, lines);
    return { ok: false, problems: sortProblems(errors.map((e) => yamlProblem(e, file, lines, duplicates))) };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      problems: [
        {
          code: "GS_CONFIG_EMPTY_FILE",
          message: "the file is empty; it needs 'version: 1' and a 'groups:' mapping",
          file,
          line: 1,
          col: 1,
        },
      ],
    };
  }
  const undefinedAliases: ConfigProblem[] = [];
  // Every alias starts with `*`: without one in the text there is nothing to visit.
  if (text.includes("*")) {
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) === undefined) {
          const message = `alias '*${node.source}' refers to no anchor: define '&${node.source}' before using it`;
          undefinedAliases.push(at("GS_CONFIG_YAML_SYNTAX", message, node as RangedNode));
        }
      },
    });
  }
  if (undefinedAliases.length > 0) return { ok: false, problems: undefinedAliases };
  try {
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), at };
  } catch {
    let first: RangedNode | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node as RangedNode;
        return visit.BREAK;
      },
    });
    return {
      ok: false,
      problems: [
        at(
          "GS_CONFIG_ALIAS_LIMIT",
          `the file expands aliases (*name) too many times (limit ${MAX_ALIAS_COUNT}), like an alias bomb; write the values out instead`,
          first,
        ),
      ],
    };
  }
}

function yamlProblem(
  error: YAMLError,
  file: string,
  lines: LineIndex,
  duplicates: Map<number, string>,
): ConfigProblem {
  const [start, end] = error.pos;
  const pos = { file, ...lines.at(start), length: Math.max(1, end - start) };
  switch (error.code) {
    case "DUPLICATE_KEY":
      return {
        code: "GS_CONFIG_DUPLICATE_KEY",
        message: duplicates.get(start) ?? "this key appears twice in its mapping",
        ...pos,
      };
    case "MULTIPLE_DOCS":
      return {
        code: "GS_CONFIG_MULTIPLE_DOCUMENTS",
        message: "the file holds more than one YAML document ('---'); it must be a single document",
        ...pos,
      };
    case "TAG_RESOLVE_FAILED":
      return {
        code: "GS_CONFIG_YAML_SYNTAX",
        message: `YAML tags such as '${error.message.replace(/^.*: /, "")}' have no meaning in groupsync's file; remove it`,
        ...pos,
      };
    case "TAB_AS_INDENT":
      return {
        code: "GS_CONFIG_YAML_SYNTAX",
        message: "YAML syntax error: tabs cannot indent YAML; use spaces",
        ...pos,
      };
    default:
      return {
        code: "GS_CONFIG_YAML_SYNTAX",
        message: `YAML syntax error: ${sentence(error.message)}`,
        ...pos,
      };
  }
}

function sentence(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** For every repeated key: offset -> "groups.vip: key 'name' appears twice (first on line 4)". */
function duplicateKeyMessages(doc: Document, lines: LineIndex): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (node: unknown, path: string): void => {
    if (isAlias(node)) return;
    const seen = new Map<string, number>();
    for (const [key, pair] of entries(doc, node)) {
      const offset = (pair.key as RangedNode | null)?.range?.[0] ?? 0;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, offset);
      else {
        const where = path === "" ? "the top level" : path;
        out.set(offset, `${where}: key '${key}' appears twice (first on line ${lines.at(first).line})`);
      }
      walk(pair.value, path === "" ? key : `${path}.${key}`);
    }
    items(doc, node).forEach((item, i) => walk(item, `${path}[${i}]`));
  };
  walk(doc.contents, "");
  return out;
}
