/** Rows as left-aligned columns, two spaces apart: how the offline plan prints its tables. */
export function renderTable(rows: string[][]): string {
    const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
    return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col])).join("  ").trimEnd()).join("\n");
}
