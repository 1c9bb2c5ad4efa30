/**
 * Largest groups.yaml accepted, in bytes (5 MiB). A file of 300,000 rules is about 9 MB in the
 * flow style nobody writes; a hand-kept file of 50,000 members is about 1.5 MB. Checked before
 * parsing so a huge or runaway file fails fast with a clear message.
 */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/**
 * Most alias (`*name`) resolutions allowed when building the data. Real files use a handful to
 * share member lists; a "billion laughs" file needs millions.
 */
export const MAX_ALIAS_COUNT = 100;
