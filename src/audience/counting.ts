// Counting timed occurrences (experience events, message feedback) against a count condition,
// with an optional sliding window, and finding the next instant at which the answer flips with no
// new input: an occurrence leaving the window, or a future-dated one entering it.
import type { CountCondition } from '../model/audience.ts';

export type CountTest = (count: number) => boolean;

export function countTest(c: CountCondition): CountTest {
  const n = c.value;
  switch (c.op) {
    case 'atLeast':
      return (k) => k >= n;
    case 'atMost':
      return (k) => k <= n;
    case 'exactly':
      return (k) => k === n;
  }
}

export interface CountResult {
  readonly value: boolean;
  readonly changesAt: number | null;
}

/**
 * `times` are the instants of matching occurrences, in any order. An occurrence at `t` is counted
 * at `now` when `now - windowMs <= t <= now` (inclusive, like inLastDays), or `t <= now` without a
 * window. It therefore enters at `t` and leaves at `t + windowMs + 1`.
 */
export function countAt(
  times: readonly number[],
  now: number,
  windowMs: number | undefined,
  test: CountTest,
): CountResult {
  let count = 0;
  const entries: number[] = [];
  const exits: number[] = [];
  const from = windowMs === undefined ? -Infinity : now - windowMs;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t > now) {
      entries.push(t);
      if (windowMs !== undefined) exits.push(t + windowMs + 1);
    } else if (t >= from) {
      count++;
      if (windowMs !== undefined) exits.push(t + windowMs + 1);
    }
  }
  const value = test(count);
  if (entries.length === 0 && exits.length === 0) return { value, changesAt: null };
  entries.sort((a, b) => a - b);
  exits.sort((a, b) => a - b);
  // Walk the merged timeline; at equal instants apply every change before testing.
  let i = 0;
  let j = 0;
  while (i < entries.length || j < exits.length) {
    const next = Math.min(entries[i] ?? Infinity, exits[j] ?? Infinity);
    while (i < entries.length && entries[i] === next) {
      count++;
      i++;
    }
    while (j < exits.length && exits[j] === next) {
      count--;
      j++;
    }
    if (test(count) !== value) return { value, changesAt: next };
  }
  return { value, changesAt: null };
}
