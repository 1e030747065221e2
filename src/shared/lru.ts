// A bounded map that forgets the least recently used entry first. Every cache keyed by something a
// caller chooses (a sandbox, a profile, an action) is one of these, so no stream of new keys can
// grow the process without bound.
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`an LRU bound must be a positive integer, got ${max}`);
  }

  get(key: K): V | undefined {
    const v = this.#entries.get(key);
    if (v === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes the entry the most recent.
    this.#entries.delete(key);
    this.#entries.set(key, v);
    return v;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.max) {
      const oldest = this.#entries.entries().next().value as [K, V];
      this.#entries.delete(oldest[0]);
      this.onEvict?.(oldest[0], oldest[1]);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }

  get size(): number {
    return this.#entries.size;
  }
}
