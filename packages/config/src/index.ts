export { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_MEMBERS_FILE_BYTES } from "./limits.js";
export type { MembersFileRead, ReadMembersFile } from "./members-file.js";
export { parseConfig } from "./parse-config.js";
export type { ParseConfigOptions } from "./parse-config.js";
export { readConfigBytes } from "./read-config-bytes.js";
export type { ReadConfigBytesResult } from "./read-config-bytes.js";
export { groupsSchema } from "./schema.js";
export type { ConfigProblem, ConfigProblemCode, ConfigResult } from "./problems.js";
export { formatProblems } from "./format-problems.js";
export type { FormatProblemsOptions } from "./format-problems.js";
export { formatConfig } from "./format-config.js";
export type { FormatConfigOptions, FormatConfigResult } from "./format-config.js";
export { stringifyConfig } from "./stringify-config.js";
export { suggestGroupKey } from "./suggest-group-key.js";
export { stringifyMembersCsv, type MembersCsvRow } from "./stringify-members-csv.js";
export { normalizeEmail as normalizeRuleEmail } from "./normalize.js";
export type {
  GroupInput,
  MemberInput,
  StringifyConfigInput,
  StringifyConfigOptions,
} from "./stringify-config.js";
