const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a duration such as `90m`, `12h`, `7d` or `1h30m` (units s, m, h, d; whole numbers) into
 * milliseconds; `0` alone is zero. Undefined for anything else (a bare `5` is refused: minutes
 * or days?).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (!/^(\d+[smhd])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * (UNITS[unit ?? "s"] ?? 0);
  }
  return Number.isSafeInteger(total) ? total : undefined;
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
