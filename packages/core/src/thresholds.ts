import type { SafetyThresholds } from "./types.js";

/** DESIGN.md §5: a group losing more than 25% and more than 10 of its members is a mass removal. */
export const DEFAULT_THRESHOLDS: SafetyThresholds = Object.freeze({
  maxRemovalFraction: 0.25,
  maxRemovalCount: 10,
});
