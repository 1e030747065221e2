// Batch evaluation: one audience over many profiles, with the size and a sample for the UI.
import type { CompiledAudience, ProfileSnapshot } from './types.ts';

export interface BatchOptions {
  /** How many member ids to sample (default 20). */
  readonly sampleSize?: number;
  /** Seed of the reservoir sampling, so the same input gives the same sample (default 0). */
  readonly seed?: number;
  /** Keep every member id in `members` (default true); false keeps only size and sample. */
  readonly collectMembers?: boolean;
}

export interface BatchResult {
  readonly members: string[];
  readonly size: number;
  readonly sample: string[];
}

/** mulberry32: deterministic, fast, good enough to pick a sample. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function evaluateBatch(
  audience: CompiledAudience,
  profiles: Iterable<{ readonly id: string; readonly snapshot: ProfileSnapshot }>,
  now: number,
  opts: BatchOptions = {},
): BatchResult {
  const k = Math.max(0, Math.floor(opts.sampleSize ?? 20));
  const keep = opts.collectMembers ?? true;
  const random = prng(opts.seed ?? 0);
  const members: string[] = [];
  const sample: string[] = [];
  let size = 0;
  for (const { id, snapshot } of profiles) {
    if (!audience.isMember(snapshot, now)) continue;
    size++;
    if (keep) members.push(id);
    // Reservoir sampling (algorithm R): every member has the same chance k/size to be kept.
    if (sample.length < k) sample.push(id);
    else if (k > 0) {
      const j = Math.floor(random() * size);
      if (j < k) sample[j] = id;
    }
  }
  return { members, size, sample };
}
