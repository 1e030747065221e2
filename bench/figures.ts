// The shape of a benchmark figure, as written to the JSON report, and small helpers to build them.

export interface Baseline {
  readonly name: string;
  /** null when the baseline could not run here (then `skipped` says why). */
  readonly value: number | null;
  readonly unit: string;
  readonly skipped?: string;
}

export interface Target {
  readonly op: '>=' | '<=';
  readonly value: number;
  /** What the target is compared with: the figure's value, or its ratio to the baseline. */
  readonly of: 'value' | 'ratio';
}

export interface Figure {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline: Baseline | null;
  /** value / baseline.value, when both were measured. */
  readonly ratio: number | null;
  readonly targets?: readonly Target[];
  /** Whether every target was met; absent when the figure has none, or when they are not reachable here. */
  readonly met?: boolean;
  /**
   * The targets were missed because this machine cannot reach them: its ceiling, measured in the
   * same run, is below what they ask (the table says NOT REACHABLE HERE rather than MISSED).
   */
  readonly notReachable?: { readonly ceiling: number; readonly unit: string };
  readonly note?: string;
}

/** What bench/expr.ts, bench/render.ts and bench/audience.ts return. */
export interface PlainFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
}

export function figure(f: {
  name: string;
  value: number | null;
  unit: string;
  baseline?: Baseline | null;
  targets?: readonly Target[];
  note?: string;
  /** The machine's measured ceiling when it is below the targets: reported instead of a miss. */
  ceiling?: { value: number; unit: string; below: boolean };
}): Figure {
  const baseline = f.baseline ?? null;
  const ratio = f.value !== null && baseline?.value ? round(f.value / baseline.value, 3) : null;
  const targets = f.targets ?? [];
  const met =
    targets.length === 0
      ? undefined
      : targets.every((t) => {
          const v = t.of === 'ratio' ? ratio : f.value;
          return v !== null && (t.op === '>=' ? v >= t.value : v <= t.value);
        });
  const unreachable = met === false && f.ceiling?.below === true;
  return {
    name: f.name,
    value: f.value === null ? null : round(f.value, 3),
    unit: f.unit,
    baseline,
    ratio,
    ...(targets.length > 0 ? (unreachable ? { targets } : { targets, met }) : {}),
    ...(unreachable
      ? { notReachable: { ceiling: round(f.ceiling!.value, 3), unit: f.ceiling!.unit } }
      : {}),
    ...(f.note ? { note: f.note } : {}),
  };
}

export function round(v: number, digits: number): number {
  if (Math.abs(v) >= 100) return Math.round(v);
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

/** Nearest-rank percentile of unsorted samples (sorts a copy). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
