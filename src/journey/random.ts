import { hashSeed, mulberry32 } from '../shared/seeded-random.ts';

/** A generator seeded by a string (instance id, node, step): the same draw on every replay. */
export function seededRandom(seed: string): () => number {
  return mulberry32(hashSeed(seed));
}
