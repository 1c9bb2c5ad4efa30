const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration written as a number and a unit: `500ms`, `10s`, `1.5s`, `2m`,
 * `1h`, `7d`, or several (`1m30s`, `1h30m`). Undefined when the text is not one (a bare number
 * too: `30` could be seconds or milliseconds, so the unit is required, as in Terraform and Go).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return undefined;
  let total = 0;
  let rest = trimmed;
  while (rest !== "") {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN);
    rest = rest.slice(match[0].length);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** `2d 3h`, `5h 12m`, `40m`, `12s`: the largest unit and the next one unless it is 0, rounded down. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  const counts = [
    [Math.floor(seconds / 86_400), "d"],
    [Math.floor(seconds / 3_600) % 24, "h"],
    [Math.floor(seconds / 60) % 60, "m"],
    [seconds % 60, "s"],
  ] as const;
  const first = counts.findIndex(([n]) => n > 0);
  if (first === -1) return "0s";
  return counts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(" ");
}
