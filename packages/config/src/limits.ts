/**
 * Largest groups.yaml accepted, in bytes (16 MiB). A hand-kept file of 50,000 members is about
 * 1.8 MiB; the 200,000 rules of the benchmark's L account (docs/performance.md) are 9 MiB and parse
 * in about 3 s within 250 MiB (README "Figures"). Checked before parsing so a huge or runaway file fails fast with a
 * clear message.
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
