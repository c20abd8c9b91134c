/** Accuracy, per-label precision and recall, and a confusion matrix, printed as plain-text tables. */
export interface Scored {
  expected: string;
  actual: string;
}

export interface Report {
  accuracy: number;
  total: number;
  perLabel: { label: string; support: number; precision: number; recall: number }[];
  confusion: number[][]; // [expected][actual], labels in the given order
}

export function evaluate(results: Scored[], labels: readonly string[]): Report {
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (const r of results) {
    const e = at.get(r.expected);
    const a = at.get(r.actual);
    if (e === undefined || a === undefined) continue;
    confusion[e]![a]! += 1;
    if (e === a) correct++;
  }
  const perLabel = labels.map((label, i) => {
    const support = confusion[i]!.reduce((x, y) => x + y, 0);
    const predicted = confusion.reduce((x, row) => x + row[i]!, 0);
    const tp = confusion[i]![i]!;
    return { label, support, precision: predicted ? tp / predicted : NaN, recall: support ? tp / support : NaN };
  });
  return { accuracy: results.length ? correct / results.length : NaN, total: results.length, perLabel, confusion };
}

const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

export function formatReport(report: Report, labels: readonly string[]): string {
  const lines = [`accuracy ${pct(report.accuracy)} of ${report.total}`, '', 'intent         support  precision  recall'];
  for (const p of report.perLabel) lines.push(`${p.label.padEnd(15)}${String(p.support).padStart(7)}  ${pct(p.precision).padStart(9)}  ${pct(p.recall).padStart(6)}`);
  const short = labels.map((l) => l.slice(0, 5).padStart(6));
  lines.push('', `confusion (rows: expected, columns: read as)`, `${''.padEnd(15)}${short.join('')}`);
  report.confusion.forEach((row, i) => lines.push(`${labels[i]!.padEnd(15)}${row.map((n) => String(n || '.').padStart(6)).join('')}`));
  return lines.join('\n');
}

export function distribution(values: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
