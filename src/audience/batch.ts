// Batch evaluation: one audience over many profiles, with the size and a sample for the UI.
import type { CompiledAudience, ProfileSnapshot } from './types.ts';
import { mulberry32 } from '../shared/seeded-random.ts';

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

const prng = mulberry32;

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

/**
 * Algorithm R carried on over the members of one more page of a run: `seen` members came before and
 * `sample` holds up to `k` of them, each with the same chance. Seeded by `seen`, so a run paged the
 * same way gives the same sample.
 */
export function extendSample(
  sample: readonly string[],
  seen: number,
  members: readonly string[],
  k: number,
): string[] {
  const out = sample.slice(0, Math.max(0, k));
  const random = prng(seen + 1);
  let n = seen;
  for (const id of members) {
    n++;
    if (out.length < k) out.push(id);
    else if (k > 0) {
      const j = Math.floor(random() * n);
      if (j < k) out[j] = id;
    }
  }
  return out;
}
