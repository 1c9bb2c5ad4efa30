import type { DesiredState, LiveState } from "../src/types.js";

/** Types of generate.mjs (plain JavaScript so that diff-rss.mjs runs it under node without a build). */
export declare function generateWorkload(options?: {
  profiles?: number;
  groups?: number;
  rulesPerGroup?: number;
  drift?: number;
}): { desired: DesiredState; live: LiveState; rules: number };
