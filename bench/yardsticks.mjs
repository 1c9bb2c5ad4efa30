// Yardsticks of the benchmark beside the ideal: round trips no client can overlap, and the
// fewest rounds a perfect client needs.

/**
 * Round trips that must follow one another whatever the concurrency: the group list pages, then
 * the longest group's search pages (by cursor), then one round of look-ups, one of
 * verification and one of writes when there are any. A second yardstick beside the ideal.
 */
export function criticalPath(floor, expected) {
  const longest = Math.max(...expected.liveMembers.map((m) => Math.max(1, Math.ceil(m / 100))));
  return (
    floor.listPages +
    longest +
    (floor.lookups > 0 ? 1 : 0) +
    (floor.verify > 0 ? 1 : 0) +
    (floor.writes > 0 ? 1 : 0)
  );
}

/**
 * The fewest rounds of `concurrency` requests the apply takes with a perfect client and a server
 * that answers in exactly the latency: each phase that waits for the one before (DESIGN.md §4,
 * §6) takes at least its longest chain of pages or its calls / concurrency, whichever is more.
 * The first list page; then the group pages, the look-ups and the rest of the list, overlapped
 * (a group's look-ups after its pages);
 * the verification; the adds and the removes (no remove waits for an add: they may overlap);
 * reading the touched profiles back. Start-up and parsing are not in it. `least / ideal` is thus
 * the best `API / ideal` any client can reach.
 */
export function leastRounds(floor, expected, concurrency) {
  const rounds = (calls) => Math.ceil(calls / concurrency);
  const longest = Math.max(...expected.liveMembers.map((m) => Math.max(1, Math.ceil(m / 100))));
  // A group's look-ups wait for its last page (every group of a drifted workload has some).
  const chain = longest + (floor.lookups > 0 ? 1 : 0);
  const reads = Math.max(chain, rounds(floor.listPages - 1 + floor.searchPages + floor.lookups));
  const readBack = expected.adds + expected.removes > 0 ? rounds(Math.ceil(expected.candidates / 100)) : 0;
  return 1 + reads + rounds(floor.verify) + rounds(expected.adds + expected.removes) + readBack;
}
