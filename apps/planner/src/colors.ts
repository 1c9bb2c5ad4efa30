/** ANSI styles, or identity functions when colors are off. */
export interface Colors {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
}

const style = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    const same = (s: string) => s;
    return { bold: same, red: same, green: same, yellow: same, dim: same };
  }
  return {
    bold: style(1, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    dim: style(2, 22),
  };
}
