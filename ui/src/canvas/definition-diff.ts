// What differs between two journey definitions, in words, for the save-conflict "Compare" view:
// activities added, removed or changed (which settings), and journey properties. Pure.
import type { JourneyDefinition, JourneyNode } from '../api/types.ts';

export interface Difference {
  readonly where: string;
  readonly mine: string;
  readonly theirs: string;
}

const show = (v: unknown): string =>
  v === undefined ? '—' : typeof v === 'string' ? v || '(empty)' : JSON.stringify(v);

function flat(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      flat(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, v);
}

function settingDiffs(
  mine: unknown,
  theirs: unknown,
  where: string,
  skip: ReadonlySet<string>,
): Difference[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flat(mine, '', a);
  flat(theirs, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => !skip.has(k.split('.')[0]!));
  return keys
    .filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)))
    .map((k) => ({ where: `${where} › ${k}`, mine: show(a.get(k)), theirs: show(b.get(k)) }));
}

const nodeName = (n: JourneyNode) => n.label || n.id;

export function diffDefinitions(mine: JourneyDefinition, theirs: JourneyDefinition): Difference[] {
  const out: Difference[] = [];
  const { nodes: _m, ...mineProps } = mine;
  const { nodes: _t, ...theirProps } = theirs;
  out.push(...settingDiffs(mineProps, theirProps, 'Journey', new Set()));
  const theirsById = new Map(theirs.nodes.map((n) => [n.id, n]));
  const mineById = new Map(mine.nodes.map((n) => [n.id, n]));
  for (const n of mine.nodes) {
    const t = theirsById.get(n.id);
    if (!t) out.push({ where: `Activity ${nodeName(n)}`, mine: 'added', theirs: 'not there' });
    // Positions differ whenever someone arranges the canvas: not worth a line.
    // Named as the other person's copy names it (a renamed activity is found by its id).
    else out.push(...settingDiffs(n, t, `Activity ${nodeName(t)}`, new Set(['position'])));
  }
  for (const t of theirs.nodes)
    if (!mineById.has(t.id))
      out.push({ where: `Activity ${nodeName(t)}`, mine: 'not there', theirs: 'added' });
  return out;
}
