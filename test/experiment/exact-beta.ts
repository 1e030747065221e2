// An exact, independent computation of the probability to be best for Beta posteriors with
// integer parameters, in rational arithmetic (BigInt), for the tests to check the quadrature
// against. It shares no code with src/experiment.
//
// With integer a, b the Beta(a, b) CDF is a binomial tail, F(x) = Σ_{m=a}^{a+b-1} C(a+b-1, m)
// xᵐ(1−x)^(a+b−1−m) (or 1 minus the head, whichever is shorter), and the density is
// x^(a−1)(1−x)^(b−1) / B(a, b). So fᵢ·Πⱼ≠ᵢ Fⱼ is a sum of terms c·xᵖ(1−x)^q, and each integrates
// exactly: ∫₀¹ xᵖ(1−x)^q dx = p! q! / (p + q + 1)!.

export interface IntegerBeta {
  readonly a: number;
  readonly b: number;
}

/** Σ coefficient · xᵖ(1−x)^q, keyed "p,q". */
type Poly = Map<string, { p: number; q: number; c: bigint }>;

const factorials: bigint[] = [1n];
function fact(n: number): bigint {
  for (let i = factorials.length; i <= n; i++) factorials.push(factorials[i - 1]! * BigInt(i));
  return factorials[n]!;
}
const choose = (n: number, k: number): bigint => fact(n) / (fact(k) * fact(n - k));

function add(poly: Poly, p: number, q: number, c: bigint): void {
  const key = `${p},${q}`;
  const had = poly.get(key);
  if (had) had.c += c;
  else poly.set(key, { p, q, c });
}

function multiply(x: Poly, y: Poly): Poly {
  const out: Poly = new Map();
  for (const s of x.values()) for (const t of y.values()) add(out, s.p + t.p, s.q + t.q, s.c * t.c);
  return out;
}

function cdf({ a, b }: IntegerBeta): Poly {
  const n = a + b - 1;
  const out: Poly = new Map();
  if (n - a + 1 <= a) {
    for (let m = a; m <= n; m++) add(out, m, n - m, choose(n, m));
  } else {
    add(out, 0, 0, 1n);
    for (let m = 0; m < a; m++) add(out, m, n - m, -choose(n, m));
  }
  return out;
}

/** P(arm i has the highest rate), exactly, rounded to a double at the end. */
export function exactProbabilityToBeBest(arms: readonly IntegerBeta[]): number[] {
  return arms.map((arm, i) => {
    let poly: Poly = new Map([['x', { p: arm.a - 1, q: arm.b - 1, c: 1n }]]);
    arms.forEach((other, j) => {
      if (j !== i) poly = multiply(poly, cdf(other));
    });
    // Σ c·p!q!/(p+q+1)!, over a common denominator D!, times 1/B(a, b) = (a+b−1)!/((a−1)!(b−1)!).
    const d = Math.max(...[...poly.values()].map((t) => t.p + t.q + 1));
    let numerator = 0n;
    for (const t of poly.values())
      numerator += (t.c * fact(t.p) * fact(t.q) * fact(d)) / fact(t.p + t.q + 1);
    const num = numerator * fact(arm.a + arm.b - 1);
    const den = fact(d) * fact(arm.a - 1) * fact(arm.b - 1);
    const scale = 10n ** 30n;
    return Number((num * scale) / den) / 1e30;
  });
}
