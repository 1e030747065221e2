import { betaCdf, betaLogDensity, lnBeta } from './special-functions.ts';

// The probability that each arm has the highest true rate, under independent Beta posteriors:
//   P(arm i is best) = ∫₀¹ fᵢ(x) · Πⱼ≠ᵢ Fⱼ(x) dx
// (fᵢ the density of arm i's posterior, Fⱼ the CDF of arm j's). Computed by quadrature, not by
// sampling, so the same counts always give the same figures: Gauss-Legendre (16 points) on pieces
// cut at every arm's mean + t·sd for t in ±{0, 0.5, …, 8, 9.5, 11.5, 14, 17, 21, 26, 32, 40},
// clipped to [0, 1]. Each posterior is resolved at half a standard deviation where its mass is,
// whatever its width next to the others', and its tails are followed until they are below
// double precision. Outside mean ± 40 sd a density is taken as 0 and a CDF as 0 or 1.

export interface BetaPosterior {
  readonly a: number;
  readonly b: number;
}

const OFFSETS = ((): number[] => {
  const core: number[] = [];
  for (let t = 0; t <= 8; t += 0.5) core.push(t);
  const positive = [...core, 9.5, 11.5, 14, 17, 21, 26, 32, 40];
  return [...positive.slice(1).map((t) => -t), ...positive];
})();
const REACH = 40;

/** Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on the Legendre polynomial. */
function gaussLegendre(n: number): {
  readonly x: readonly number[];
  readonly w: readonly number[];
} {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / derivative;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x.push(z);
    w.push(2 / ((1 - z * z) * derivative * derivative));
  }
  return { x, w };
}
const GL = gaussLegendre(16);

interface Shape {
  readonly a: number;
  readonly b: number;
  readonly lnB: number;
  readonly mean: number;
  readonly sd: number;
  readonly lo: number;
  readonly hi: number;
}

function shapeOf({ a, b }: BetaPosterior): Shape {
  const n = a + b;
  const mean = a / n;
  const sd = Math.sqrt((a * b) / (n * n * (n + 1)));
  return {
    a,
    b,
    lnB: lnBeta(a, b),
    mean,
    sd,
    lo: Math.max(0, mean - REACH * sd),
    hi: Math.min(1, mean + REACH * sd),
  };
}

function breakpoints(shapes: readonly Shape[]): number[] {
  const points: number[] = [];
  for (const s of shapes) {
    points.push(s.lo, s.hi);
    for (const t of OFFSETS) {
      const x = s.mean + t * s.sd;
      if (x > 0 && x < 1) points.push(x);
    }
  }
  points.sort((p, q) => p - q);
  return points.filter((p, i) => i === 0 || p > points[i - 1]!);
}

/** P(arm i has the highest rate) for each posterior, in order; they sum to 1 (to about 1e-12). */
export function probabilityToBeBest(posteriors: readonly BetaPosterior[]): number[] {
  if (posteriors.length === 0) return [];
  if (posteriors.length === 1) return [1];
  const shapes = posteriors.map(shapeOf);
  const points = breakpoints(shapes);
  const k = shapes.length;
  const result = new Array<number>(k).fill(0);
  const density = new Array<number>(k).fill(0);
  const cdf = new Array<number>(k).fill(0);
  const mass = new Array<number>(k).fill(0);
  for (let p = 1; p < points.length; p++) {
    const u = points[p - 1]!;
    const v = points[p]!;
    if (!shapes.some((s) => s.lo < v && s.hi > u)) continue;
    const half = (v - u) / 2;
    const mid = (u + v) / 2;
    for (let g = 0; g < GL.x.length; g++) {
      const x = mid + half * GL.x[g]!;
      const weight = half * GL.w[g]!;
      for (let j = 0; j < k; j++) {
        const s = shapes[j]!;
        const inside = x > s.lo && x < s.hi;
        density[j] = inside ? Math.exp(betaLogDensity(x, s.a, s.b, s.lnB)) : 0;
        cdf[j] = x <= s.lo ? 0 : x >= s.hi ? 1 : betaCdf(x, s.a, s.b, s.lnB);
      }
      for (let i = 0; i < k; i++) {
        if (density[i] === 0) continue;
        let others = 1;
        for (let j = 0; j < k && others > 0; j++) if (j !== i) others *= cdf[j]!;
        result[i]! += weight * density[i]! * others;
        mass[i]! += weight * density[i]!;
      }
    }
  }
  // Dividing by each density's own integral (1 up to rounding) cancels the error of its
  // normalizing constant: ln B(a, b) loses about 1e-9 at a million exposures.
  return result.map((r, i) => Math.min(1, Math.max(0, r / mass[i]!)));
}
