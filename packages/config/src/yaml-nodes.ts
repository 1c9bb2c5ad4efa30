import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from "yaml";
import type { At } from "./parse-yaml.js";
import type { ConfigProblem, ConfigProblemCode } from "./problems.js";

/** A node of a parsed document with its source range (`[start, valueEnd, nodeEnd]`). */
export type RangedNode = Node & { range?: [number, number, number] | null };

/** Follows an alias to its anchored node (positions then point at the anchor). */
export function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The key of a map entry as text (`groups`, `vip`), or undefined for complex keys. */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** The entries of a map node as [key text, pair] (aliases resolved); [] for anything else. */
export function entries(doc: Document, node: unknown): Array<[string, Pair<RangedNode, RangedNode>]> {
  const map = resolve(doc, node);
  if (!isMap(map)) return [];
  const out: Array<[string, Pair<RangedNode, RangedNode>]> = [];
  for (const pair of map.items) {
    const key = isPair(pair) ? keyText(pair) : undefined;
    if (key !== undefined) out.push([key, pair as Pair<RangedNode, RangedNode>]);
  }
  return out;
}

/** The items of a sequence node (aliases resolved); [] for anything else. */
export function items(doc: Document, node: unknown): unknown[] {
  const seq = resolve(doc, node);
  return isSeq(seq) ? seq.items : [];
}

const keyIndexes = new WeakMap<object, Map<string, Pair<RangedNode, RangedNode>>>();

/** key -> first pair of a map node, built once per node (many problems may point into one map). */
function keyIndex(doc: Document, map: object): Map<string, Pair<RangedNode, RangedNode>> {
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const [key, pair] of entries(doc, map)) if (!index.has(key)) index.set(key, pair);
    keyIndexes.set(map, index);
  }
  return index;
}

/** Where a path points: the deepest node found, and the pair whose value it is (if any). */
export interface Located {
  readonly node: RangedNode | undefined;
  readonly pair: Pair<RangedNode, RangedNode> | undefined;
  /** How many segments of the path were found. */
  readonly depth: number;
}

/** Walks `segments` (map keys and sequence indexes) from the document root. */
export function locate(doc: Document, segments: readonly string[]): Located {
  let node = resolve(doc, doc.contents) as RangedNode | undefined;
  let pair: Pair<RangedNode, RangedNode> | undefined;
  let depth = 0;
  for (const segment of segments) {
    let next: RangedNode | undefined;
    let nextPair: Pair<RangedNode, RangedNode> | undefined;
    if (isMap(node)) {
      nextPair = keyIndex(doc, node).get(segment);
      next = nextPair ? ((resolve(doc, nextPair.value) as RangedNode | null) ?? undefined) : undefined;
      if (nextPair && !next) {
        // `key:` with no value: point at the key.
        return { node: nextPair.key, pair: nextPair, depth: depth + 1 };
      }
    } else if (isSeq(node)) {
      next = resolve(doc, node.items[Number(segment)]) as RangedNode | undefined;
      nextPair = undefined;
    }
    if (!next) break;
    node = next;
    pair = nextPair;
    depth++;
  }
  return { node, pair: depth === segments.length ? pair : undefined, depth };
}

/** Start offset and length (on its first line) of a node's source. */
export function span(node: RangedNode | null | undefined, text: string): { offset: number; length: number } {
  const range = node?.range;
  if (!range) return { offset: 0, length: 1 };
  const [start, end] = range;
  const newline = text.indexOf("\n", start);
  const lineEnd = newline === -1 ? text.length : newline;
  return { offset: start, length: Math.max(1, Math.min(end, lineEnd) - start) };
}

/** A parsed groups.yaml: its data, and the document to point into. */
export interface ParsedConfig {
  readonly doc: Document;
  readonly data: unknown;
  readonly at: At;
}

/** Where the values of the data are in the document: looked up only for a problem or a number. */
export interface ValueLocator {
  /** The keys of the `groups` mapping, in file order (an object would put `2022` first). */
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

/** The locator of a parsed document: positions are found when asked for, not before. */
export function createValueLocator({ doc, at }: ParsedConfig): ValueLocator {
  return {
    groupKeys: () => entries(doc, locate(doc, ["groups"]).node).map(([key]) => key),
    problem: (code, message, segments, path) => at(code, message, locate(doc, segments).node, path),
    numberText: (segments) => {
      const node = locate(doc, segments).node;
      return isScalar(node) && node.source !== undefined ? node.source : undefined;
    },
  };
}
