// Dependency order between audiences (audiences of audiences), with cycles found and named.

/** A cycle through `start` in the graph (name → names it reads), as a path that ends where it starts; null if none. */
export function findCycle(
  graph: Readonly<Record<string, readonly string[]>>,
  start: string,
): string[] | null {
  const onPath: string[] = [];
  const done = new Set<string>();
  const visit = (n: string): string[] | null => {
    if (n === start && onPath.length > 0) return [...onPath, n];
    if (done.has(n) || onPath.includes(n)) return null;
    onPath.push(n);
    const next = Object.hasOwn(graph, n) ? (graph[n] ?? []) : [];
    for (const m of next) {
      const found = visit(m);
      if (found !== null) return found;
    }
    onPath.pop();
    done.add(n);
    return null;
  };
  return visit(start);
}

/**
 * Orders names so that every audience comes after the ones it reads (only edges inside the set
 * count). Returns the cycle instead when there is one.
 */
export function topologicalOrder(
  names: readonly string[],
  deps: (name: string) => readonly string[],
): { ok: true; order: string[] } | { ok: false; cycle: string[] } {
  const inSet = new Set(names);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: placed
  const order: string[] = [];
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    const s = state.get(n);
    if (s === 2) return null;
    if (s === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const d of deps(n)) {
      if (!inSet.has(d)) continue;
      const cycle = visit(d);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(n, 2);
    order.push(n);
    return null;
  };
  for (const n of names) {
    const cycle = visit(n);
    if (cycle !== null) return { ok: false, cycle };
  }
  return { ok: true, order };
}
