import { posix } from "node:path";
import { formatBytes } from "./check-text.js";
import { MAX_MEMBERS_FILE_BYTES } from "./limits.js";
import { parseMembersCsv, type MembersTable } from "./parse-members-csv.js";
import { LineIndex } from "./positions.js";
import type { ConfigProblem } from "./problems.js";
import { readConfigBytes } from "./read-config-bytes.js";

/** What the caller's reader found at a `members_file` path. */
export type MembersFileRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly reason: "not_found" | "directory" | "too_large" | "unreadable";
      /** The size for `too_large`; the system's reason (`EACCES`...) for `unreadable`. */
      readonly detail?: string;
    };

/**
 * Reads a members file, given its path relative to groups.yaml's folder as checked by
 * `parseConfig` (`/` between folders, never above that folder). The CLI resolves it and reads
 * the bytes; tests pass a map.
 */
export type ReadMembersFile = (path: string) => MembersFileRead;

/** The members files of one parse: each read and parsed once, whichever groups name it. */
export interface MembersFiles {
  /** The file at `path` (checked) as rules, or why it cannot be read, with its display name. */
  load(path: string, country: string): LoadedMembersFile;
  /** The text of every members file read, by display name (for `formatProblems`' `sources`). */
  readonly texts: ReadonlyMap<string, string>;
}

export type LoadedMembersFile =
  | { readonly ok: true; readonly display: string; readonly table: MembersTable }
  | {
      readonly ok: false;
      readonly display: string;
      readonly message: string;
      readonly problems?: ConfigProblem[];
    };

/** Members files read through `read` (undefined: the caller reads none), named beside `configFile`. */
export function createMembersFiles(read: ReadMembersFile | undefined, configFile: string): MembersFiles {
  const texts = new Map<string, string>();
  const loaded = new Map<string, LoadedMembersFile>();
  return {
    texts,
    load(path, country) {
      const key = `${country}\0${path}`;
      const cached = loaded.get(key);
      if (cached !== undefined) return cached;
      const display = membersFileDisplay(configFile, path);
      const result = loadFile(read, path, display, country, texts);
      loaded.set(key, result);
      return result;
    },
  };
}

function loadFile(
  read: ReadMembersFile | undefined,
  path: string,
  display: string,
  country: string,
  texts: Map<string, string>,
): LoadedMembersFile {
  if (read === undefined)
    return { ok: false, display, message: `${display} was not read (no file reader given)` };
  const got = read(path);
  if (!got.ok) {
    if (got.reason === "too_large") {
      // Bad CSV input, like a bad byte: at the file's 1:1, as groups.yaml's own size limit is.
      const message = `the file is too large (${got.detail ?? "over the limit"}); a members file may be at most ${formatBytes(MAX_MEMBERS_FILE_BYTES)}`;
      return {
        ok: false,
        display,
        message: "",
        problems: [{ code: "GS_CONFIG_FILE_TOO_LARGE", message, file: display, line: 1, col: 1 }],
      };
    }
    const why = {
      not_found: `${display} does not exist`,
      directory: `${display} is a directory, not a CSV file`,
      unreadable: `${display} cannot be read (${got.detail ?? "unknown error"})`,
    }[got.reason];
    return { ok: false, display, message: why };
  }
  if (isZip(got.bytes)) {
    const message =
      'the file is a ZIP archive (a spreadsheet workbook?), not CSV text; export the sheet as "CSV UTF-8"';
    return {
      ok: false,
      display,
      message: "",
      problems: [{ code: "GS_CONFIG_BINARY_CONTENT", message, file: display, line: 1, col: 1 }],
    };
  }
  const decoded = readConfigBytes(got.bytes, display, MAX_MEMBERS_FILE_BYTES);
  // The text problems are excerpted from; for invalid UTF-8, with U+FFFD for the bad bytes.
  texts.set(display, decoded.ok ? decoded.text : new TextDecoder("utf-8").decode(got.bytes));
  if (!decoded.ok) {
    return { ok: false, display, message: "", problems: decoded.problems.map(csvEncodingHint) };
  }
  const text = decoded.text.startsWith("\uFEFF") ? decoded.text.slice(1) : decoded.text;
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    const problem: ConfigProblem = {
      code: "GS_CONFIG_BINARY_CONTENT",
      message: "the file contains a NUL byte (0x00); a members file must be CSV text (is it a binary file?)",
      file: display,
      ...new LineIndex(text).at(nul),
      length: 1,
    };
    return { ok: false, display, message: "", problems: [problem] };
  }
  return { ok: true, display, table: parseMembersCsv(decoded.text, { file: display, country }) };
}

/** Excel's plain "CSV" is Windows-1252: say which export to choose. */
function csvEncodingHint(problem: ConfigProblem): ConfigProblem {
  if (problem.code !== "GS_CONFIG_INVALID_UTF8" && problem.code !== "GS_CONFIG_UTF16") return problem;
  return {
    ...problem,
    message: problem.message.replace(/save it as UTF-8$/, 'save or export it as "CSV UTF-8"'),
  };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The path a `members_file` value names, relative to groups.yaml's folder, or why it is refused:
 * absolute paths and paths leading out of that folder would make the plan depend on files
 * outside the repository (and differ from one machine to the next).
 */
export function checkMembersFilePath(
  written: string,
): { ok: true; path: string } | { ok: false; message: string } {
  const value = written.trim();
  if (value.includes("\\")) {
    return {
      ok: false,
      message: `${JSON.stringify(value)} uses '\\'; write folders with '/' (e.g. lists/attendees.csv)`,
    };
  }
  if (posix.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.startsWith("~")) {
    return {
      ok: false,
      message: `${JSON.stringify(value)} is not a relative path; write the path from groups.yaml's folder (e.g. attendees.csv)`,
    };
  }
  const path = posix.normalize(value);
  if (path === ".." || path.startsWith("../")) {
    return {
      ok: false,
      message: `${JSON.stringify(value)} leads out of groups.yaml's folder; keep members files in it or below it`,
    };
  }
  return { ok: true, path };
}

/** `attendees.csv` beside `groups.yaml`; `conf/attendees.csv` beside `conf/groups.yaml`. */
export function membersFileDisplay(configFile: string, path: string): string {
  const dir = posix.dirname(configFile.replace(/\\/g, "/"));
  return dir === "." ? path : posix.join(dir, path);
}
