/** Percentiles by nearest rank over a list of measurements (milliseconds). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Figure {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  /** The budget, and whether a smaller value is the better one. */
  budget?: { limit: number; atMost: boolean };
  note?: string;
}

export function withinBudget(figure: Figure): boolean | undefined {
  if (!figure.budget || figure.value === null) return undefined;
  return figure.budget.atMost ? figure.value <= figure.budget.limit : figure.value >= figure.budget.limit;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-NZ');
  return value >= 100 ? Math.round(value).toLocaleString('en-NZ') : value.toFixed(1);
}

export function table(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => {
    const ok = withinBudget(figure);
    return [
      figure.section,
      figure.name,
      figure.value === null ? 'n/a' : `${formatNumber(figure.value)} ${figure.unit}`,
      figure.budget ? `${figure.budget.atMost ? '<=' : '>='} ${formatNumber(figure.budget.limit)} ${figure.unit}` : '',
      ok === undefined ? (figure.budget ? 'NOT MEASURED' : '') : ok ? 'ok' : 'OVER BUDGET',
      figure.note ?? '',
    ];
  });
  const header = ['section', 'figure', 'measured', 'budget', 'verdict', 'note'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
