// Auto-layout (dagre), layered left to right or top to bottom: whichever lets the whole journey fit
// the canvas at the larger zoom. A long chain (the lab has 7 layers) fits a wide canvas only when
// stacked, a wide fan-out only side by side. The handles follow the direction the positions show.
import dagre from '@dagrejs/dagre';
import type { JourneyDefinition } from '../api/types.ts';
import { edgesOf } from './graph.ts';

export const NODE_W = 184;
export const NODE_H = 68;
/** Below this the labels are too small to read: the canvas scrolls instead. */
export const MIN_READABLE_ZOOM = 0.7;

export type Direction = 'LR' | 'TB';

export function layoutIn(
  def: JourneyDefinition,
  dir: Direction,
): { def: JourneyDefinition; width: number; height: number } {
  const g = new dagre.graphlib.Graph();
  // Room between layers for the path labels (placed outside the activities).
  g.setGraph(
    dir === 'LR'
      ? { rankdir: 'LR', nodesep: 50, ranksep: 110, marginx: 0, marginy: 0 }
      : { rankdir: 'TB', nodesep: 60, ranksep: 46, marginx: 0, marginy: 0 },
  );
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of def.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of edgesOf(def)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  untangle(def, g, dir);
  const graph = g.graph();
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    def: {
      ...def,
      nodes: def.nodes.map((n) => {
        const p = g.node(n.id);
        return p
          ? { ...n, position: { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - NODE_H / 2) } }
          : n;
      }),
    },
  };
}

/**
 * dagre orders a layer without knowing which handle a path leaves from: a condition's first path may
 * land on the far side and the paths cross. Siblings in one layer, each reached from that activity
 * only, are put back in handle order.
 */
function untangle(
  def: JourneyDefinition,
  g: InstanceType<typeof dagre.graphlib.Graph>,
  dir: Direction,
): void {
  const edges = edgesOf(def);
  const incoming = new Map<string, number>();
  for (const e of edges) incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
  const cross = dir === 'TB' ? 'x' : 'y';
  const along = dir === 'TB' ? 'y' : 'x';
  for (const n of def.nodes) {
    const kids = [...new Set(edges.filter((e) => e.source === n.id).map((e) => e.target))].filter(
      (t) => incoming.get(t) === 1,
    );
    if (kids.length < 2) continue;
    const boxes = kids.map((k) => g.node(k) as { x: number; y: number } | undefined);
    if (boxes.some((b) => !b || b[along] !== boxes[0]![along])) continue;
    const slots = boxes.map((b) => b![cross]).sort((a, b) => a - b);
    kids.forEach((k, i) => {
      (g.node(k) as { x: number; y: number })[cross] = slots[i]!;
    });
  }
}

/** The zoom at which a graph of that size fits the view (with a margin). */
export function fitZoom(
  graph: { width: number; height: number },
  view: { width: number; height: number },
): number {
  if (graph.width <= 0 || graph.height <= 0) return 1;
  return Math.min((view.width - 60) / graph.width, (view.height - 60) / graph.height);
}

export function autoLayout(
  def: JourneyDefinition,
  view: { width: number; height: number } = { width: 1200, height: 700 },
): JourneyDefinition {
  const lr = layoutIn(def, 'LR');
  const tb = layoutIn(def, 'TB');
  return fitZoom(tb, view) > fitZoom(lr, view) * 1.05 ? tb.def : lr.def;
}

/** Which way the journey reads, from its positions: paths mostly going down read top to bottom. */
export function directionOf(def: JourneyDefinition): Direction {
  const at = new Map(def.nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }]));
  let dx = 0;
  let dy = 0;
  for (const e of edgesOf(def)) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    dx += Math.abs(b.x - a.x);
    dy += Math.abs(b.y - a.y);
  }
  return dy > dx * 1.2 ? 'TB' : 'LR';
}
