import { formatBytes } from "./check-text.js";
import { MAX_CONFIG_BYTES } from "./limits.js";
import { LineIndex } from "./positions.js";
import type { ConfigProblem } from "./problems.js";

/** Decoded text, or the problem that stopped decoding. */
export type ReadConfigBytesResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problems: ConfigProblem[] };

/**
 * Decodes the bytes of a groups.yaml (or of a members file) strictly as UTF-8 (no fs: the CLI
 * reads the file).
 * Rejects files over `maxBytes` (default MAX_CONFIG_BYTES) before decoding, UTF-16 files (by
 * their BOM), and invalid UTF-8 with the line and column of the first bad byte. A UTF-8 BOM is
 * kept in the text: `parseConfig` warns about it.
 */
export function readConfigBytes(
  bytes: Uint8Array,
  file = "groups.yaml",
  maxBytes = MAX_CONFIG_BYTES,
): ReadConfigBytesResult {
  const fail = (problem: Omit<ConfigProblem, "file">): ReadConfigBytesResult => ({
    ok: false,
    problems: [{ ...problem, file }],
  });
  if (bytes.byteLength > maxBytes) {
    return fail({
      code: "GS_CONFIG_FILE_TOO_LARGE",
      message: `the file is too large (${formatBytes(bytes.byteLength)}); the limit is ${formatBytes(maxBytes)}`,
      line: 1,
      col: 1,
    });
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail({
      code: "GS_CONFIG_UTF16",
      message: "the file is encoded as UTF-16; save it as UTF-8",
      line: 1,
      col: 1,
    });
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, bad));
    const pos = new LineIndex(before).at(before.length);
    const hex = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    return fail({
      code: "GS_CONFIG_INVALID_UTF8",
      message: `the file is not valid UTF-8 (byte 0x${hex} at offset ${bad}); save it as UTF-8`,
      ...pos,
      length: 1,
    });
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}
