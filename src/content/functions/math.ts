// Math functions (R: help/using/personalization/functions/math.md) and arithmetic helpers.
import { fn, num, str, isMissing, type FunctionTable } from './types.ts';
import { bcp47 } from './string.ts';

const n1 = (f: (x: number) => unknown) =>
  fn(1, 1, ([a]) => {
    if (isMissing(a)) return undefined;
    const x = num(a);
    return Number.isNaN(x) ? undefined : f(x);
  });

/** random() without reading Math.random: a deterministic sequence seeded by the render's clock. */
function nextRandom(state: { now: number; iterations: number; rng?: number }): number {
  let x = (state.rng ?? (state.now % 2_147_483_647) + 1) >>> 0;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  state.rng = x === 0 ? 1 : x;
  return x / 4_294_967_296;
}

export const mathFunctions: FunctionTable = {
  absolute: n1((x) => Math.abs(x)),
  roundDown: n1((x) => Math.floor(x)),
  roundUp: n1((x) => Math.ceil(x)),
  round: n1((x) => Math.round(x)),
  toHexString: n1((x) => Math.trunc(x).toString(16)),
  toInt: fn(1, 1, ([a]) => {
    if (typeof a === 'boolean') return a ? 1 : 0;
    const x = num(a);
    return Number.isNaN(x) ? undefined : Math.trunc(x);
  }),
  toPercentage: n1((x) => `${Math.round(x * 100)}%`),
  toPrecision: fn(2, 2, ([a, p]) => {
    const x = num(a);
    return Number.isNaN(x) ? undefined : x.toFixed(Math.max(0, Math.min(20, num(p))));
  }),
  toString: fn(1, 1, ([a]) => str(a)),
  formatNumber: fn(2, 2, ([a, locale]) => {
    const x = num(a);
    return Number.isNaN(x)
      ? undefined
      : new Intl.NumberFormat(bcp47(locale), { maximumFractionDigits: 3 }).format(x);
  }),
  random: fn(0, 0, (_a, state) =>
    nextRandom(state as unknown as { now: number; iterations: number; rng?: number }),
  ),
};
