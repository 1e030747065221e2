import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  betaCdf,
  lnGamma,
  normalCdf,
  normalQuantile,
} from '../../src/experiment/special-functions.ts';

const close = (actual: number, expected: number, tolerance: number): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

describe('the special functions behind the statistics', () => {
  test('ln Γ(n) is ln((n − 1)!) and ln Γ(1/2) is ln √π', () => {
    let lnFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      close(lnGamma(n), lnFactorial, 1e-12 * Math.max(1, lnFactorial));
      lnFactorial += Math.log(n);
    }
    close(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  });

  test('the Beta CDF with integer parameters is a binomial tail', () => {
    // I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a), summed term by term.
    const tail = (x: number, a: number, b: number): number => {
      const n = a + b - 1;
      let sum = 0;
      let term = Math.pow(1 - x, n);
      for (let m = 0; m <= n; m++) {
        if (m >= a) sum += term;
        term *= ((n - m) / (m + 1)) * (x / (1 - x));
      }
      return sum;
    };
    for (const [x, a, b] of [
      [0.3, 5, 7],
      [0.1, 1, 1],
      [0.05, 11, 190],
      [0.9, 40, 3],
      [0.5, 60, 60],
    ] as const)
      // ln B(a, b) carries ~1e-16 of ln Γ(a + b) as an absolute error: 1e-12 covers a + b in the hundreds.
      close(betaCdf(x, a, b), tail(x, a, b), 1e-12);
    assert.equal(betaCdf(0, 3, 4), 0);
    assert.equal(betaCdf(1, 3, 4), 1);
  });

  test('the normal CDF and quantile match published values', () => {
    // Φ(−3) = 0.0013498980316300945, Φ(1) = 0.8413447460685429 (tables; scipy.stats.norm.cdf).
    close(normalCdf(-3), 0.0013498980316300945, 1e-15);
    close(normalCdf(1), 0.8413447460685429, 1e-15);
    close(normalCdf(0), 0.5, 0);
    // z for 90%, 95% and 99% two-sided intervals.
    close(normalQuantile(0.95), 1.6448536269514722, 1e-12);
    close(normalQuantile(0.975), 1.959963984540054, 1e-12);
    close(normalQuantile(0.995), 2.5758293035489004, 1e-12);
    assert.throws(() => normalQuantile(1), RangeError);
  });
});
