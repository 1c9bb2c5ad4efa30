import { isScalar, type Document } from "yaml";
import type { At } from "./parse-yaml.js";
import type { ConfigProblem, ConfigProblemCode } from "./problems.js";
import type { PlainYaml } from "./read-plain-yaml.js";
import { entries, locate } from "./yaml-nodes.js";

/**
 * What reading the desired state needs from the file besides its plain data: the order of the
 * groups, where a value is (for a problem) and the source text of a number.
 */
export interface ValueSource {
  /** The keys of the `groups` mapping, in file order. */
  readonly groupKeys: () => string[];
  /** A problem pointing at the value at `segments` (map keys and list indexes from the root). */
  readonly problem: (
    code: ConfigProblemCode,
    message: string,
    segments: readonly string[],
    path?: string,
  ) => ConfigProblem;
  /** The source text of the number at `segments` (`+14155550100` for an unquoted phone). */
  readonly numberText: (segments: readonly string[]) => string | undefined;
}

/** Values of a parsed document: problems point at its nodes. */
export function createDocumentSource(doc: Document, at: At): ValueSource {
  return {
    groupKeys: () => entries(doc, locate(doc, ["groups"]).node).map(([key]) => key),
    problem: (code, message, segments, path) => at(code, message, locate(doc, segments).node, path),
    numberText: (segments) => {
      const node = locate(doc, segments).node;
      return isScalar(node) && node.source !== undefined ? node.source : undefined;
    },
  };
}

/**
 * Values of data read without positions. Its problems point nowhere (line 0): any problem sends
 * the file down the positional parse, which reports them all.
 */
export function createPlainSource({ data, numberTexts }: PlainYaml): ValueSource {
  return {
    groupKeys: () => {
      const groups = data["groups"];
      return groups !== null && typeof groups === "object" ? Object.keys(groups) : [];
    },
    problem: (code, message, _segments, path) => ({
      code,
      message,
      file: "",
      line: 0,
      col: 0,
      ...(path ? { path } : {}),
    }),
    numberText: (segments) => {
      let parent: unknown = data;
      for (const segment of segments.slice(0, -1)) {
        parent =
          parent !== null && typeof parent === "object"
            ? (parent as Record<string, unknown>)[segment]
            : undefined;
      }
      const last = segments[segments.length - 1];
      return parent !== null && typeof parent === "object" && last !== undefined
        ? numberTexts.get(parent)?.get(last)
        : undefined;
    },
  };
}
