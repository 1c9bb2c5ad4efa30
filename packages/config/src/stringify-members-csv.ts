/** One row of a members file written by `stringifyMembersCsv`. */
export type MembersCsvRow =
  { readonly email: string } | { readonly phone: string } | { readonly customer_id: string };

const COLUMNS = ["email", "phone", "customer_id"] as const;

/**
 * A members file (`members_file`) for these rules, in order: the header `email,phone,customer_id`
 * and one row per rule with its one cell filled, CRLF-free, quoted only where CSV needs it. It
 * reads back (`parseMembersCsv`) as the same rules. Values are written as they are (a `'` in
 * front of a formula would change the rule): `import` keeps such values, and those holding
 * control characters, in groups.yaml instead.
 */
export function stringifyMembersCsv(rows: readonly MembersCsvRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      COLUMNS.map((column) =>
        column in row ? cell((row as Record<string, string>)[column] ?? "") : "",
      ).join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

function cell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
