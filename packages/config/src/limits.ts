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
