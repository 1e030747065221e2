// Partitions: every profile belongs to one of a fixed number of partitions, fixed when the profile
// is created, from the identity that created it. Each partition has one writer (one engine), so the
// work of a profile (its events, instances, timers and outbox items) is done by one engine at a time.
// Pure: the same function runs in the engine, in the router and (as SQL) in the stores' backfills.

/** Partitions per store. Fixed: a profile never changes partition (stitching moves the absorbed one). */
export const PARTITIONS = 256;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
const utf8 = new TextEncoder();
export function fnv1a(text: string): number {
  // Identities are nearly always ASCII, whose UTF-8 bytes are its char codes: hashed without
  // encoding the text into a new array first (an allocation on every event's routing).
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return fnv1aBytes(utf8.encode(text));
    h ^= code;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function fnv1aBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The partition of a key: its FNV-1a hash with the four bytes folded together (the low byte alone mixes poorly), mod 256. */
export function partitionOfKey(key: string): number {
  const h = fnv1a(key);
  return ((h >>> 24) ^ (h >>> 16) ^ (h >>> 8) ^ h) & (PARTITIONS - 1);
}

/** The partition of a profile created from this identity. */
export function partitionOfIdentity(namespace: string, value: string): number {
  return partitionOfKey(`${namespace}:${value}`);
}

/** The partition of a profile as written: from its first identity (the one that created it), else from its id. */
export function partitionOfProfile(profile: {
  readonly id: string;
  readonly identities: ReadonlyArray<{ readonly namespace: string; readonly id: string }>;
}): number {
  const first = profile.identities[0];
  return first ? partitionOfIdentity(first.namespace, first.id) : partitionOfKey(profile.id);
}

/** Every partition number, 0 to PARTITIONS - 1. */
export const allPartitions = (): number[] => Array.from({ length: PARTITIONS }, (_v, i) => i);
