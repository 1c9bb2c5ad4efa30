/**
 * Largest groups.yaml accepted, in bytes (16 MiB): well above any hand-kept file and the
 * benchmark's largest (docs/performance.md). Checked before parsing so a huge or runaway file
 * fails fast with a clear message.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Most alias (`*name`) resolutions allowed when building the data. Real files use a handful to
 * share member lists; a "billion laughs" file needs millions.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Largest members file (CSV) accepted, in bytes (64 MiB): an event tool's export of 200,000
 * attendees with a dozen columns is about 30 MiB. Checked before the file is read.
 */
export const MAX_MEMBERS_FILE_BYTES = 64 * 1024 * 1024;
