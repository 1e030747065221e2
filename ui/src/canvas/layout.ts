// Auto-layout: left to right, layered (dagre).
import dagre from '@dagrejs/dagre';
import type { JourneyDefinition } from '../api/types.ts';
import { edgesOf } from './graph.ts';

export const NODE_W = 180;
export const NODE_H = 72;

export function autoLayout(def: JourneyDefinition): JourneyDefinition {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of def.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H + 20 });
  for (const e of edgesOf(def)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return {
    ...def,
    nodes: def.nodes.map((n) => {
      const p = g.node(n.id);
      return p ? { ...n, position: { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - NODE_H / 2) } } : n;
    }),
  };
}
