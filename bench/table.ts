// The readable table of a suite report.
import type { Figure } from './figures.ts';
import type { SuiteReport } from './suite.ts';

const num = (v: number | null): string =>
  v === null || Number.isNaN(v)
    ? '-'
    : v >= 100
      ? Math.round(v).toLocaleString('en-US')
      : String(Math.round(v * 100) / 100);

function targetText(f: Figure): string {
  if (!f.targets) return '';
  const t = f.targets
    .map((x) => `${x.of === 'ratio' ? 'ratio ' : ''}${x.op} ${num(x.value)}`)
    .join(', ');
  if (f.notReachable)
    return `NOT REACHABLE HERE (${t}; ceiling ${num(f.notReachable.ceiling)} ${f.notReachable.unit})`;
  return `${f.met ? 'met' : 'MISSED'} (${t})`;
}

export function formatTable(report: SuiteReport): string {
  const rows = report.figures.map((f) => [
    f.name,
    `${num(f.value)} ${f.unit}`,
    f.baseline
      ? f.baseline.value === null
        ? `skipped: ${f.baseline.skipped ?? 'not measured'}`
        : `${num(f.baseline.value)} ${f.baseline.unit}`
      : '',
    f.ratio === null ? '' : `${num(f.ratio)}x`,
    targetText(f),
  ]);
  const head = ['figure', 'value', 'baseline', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) =>
        i === 1 || i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const m = report.machine;
  const out = [
    `Waymark benchmarks, ${report.startedAt}, ${report.seconds} s: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average at start ${m.loadAverage.join(' ')}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  for (const s of report.skipped) out.push(`skipped ${s.section}: ${s.reason}`);
  const notes = report.figures.filter((f) => f.note);
  if (notes.length > 0) out.push('', ...notes.map((f) => `${f.name}: ${f.note}`));
  return `${out.join('\n')}\n`;
}
