// A store as the composition of its repositories: each adapter implements one repository per file
// (sqlite/events.ts, postgres/events.ts, ...) and its store class extends `Composition`, which
// gives the store every method of each repository, answered by that repository. The port's callers
// keep calling `store.getProfile(...)`.

/** The intersection of the repositories' types: what the composed store offers. */
export type Composed<R extends readonly object[]> = R extends readonly [
  infer Head,
  ...infer Tail extends readonly object[],
]
  ? Head & Composed<Tail>
  : unknown;

/**
 * The base class of a store made of `R`, a tuple of repository interfaces: `super(repositories)`
 * gives the store every method of each repository, as a method of its prototype that calls the
 * repository's (so a subclass may override one and call `super`, and a test may replace one on the
 * instance). A method name offered by two repositories is an error when the store is made.
 */
export function Composition<R extends readonly object[]>(): new (repositories: R) => Composed<R> {
  const owners = Symbol('repositories');
  class Composite {
    readonly [owners]: ReadonlyMap<string, Record<string, (...args: unknown[]) => unknown>>;
    constructor(repositories: R) {
      const byName = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
      for (const repository of repositories) {
        for (const name of methodNames(repository)) {
          if (byName.has(name)) throw new Error(`store composition: ${name} is offered twice`);
          byName.set(name, repository as Record<string, (...args: unknown[]) => unknown>);
          if (!Object.hasOwn(Composite.prototype, name)) {
            Object.defineProperty(Composite.prototype, name, {
              value: function (this: Composite, ...args: unknown[]): unknown {
                return this[owners].get(name)![name]!(...args);
              },
              writable: true,
              configurable: true,
            });
          }
        }
      }
      this[owners] = byName;
    }
  }
  return Composite as unknown as new (repositories: R) => Composed<R>;
}

/** The public methods of a class instance (its prototype chain up to Object's); #private ones are not visible. */
function methodNames(instance: object): string[] {
  const names: string[] = [];
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof d?.value === 'function') names.push(name);
    }
  }
  return names;
}
