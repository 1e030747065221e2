// What an activity can read of the journey: the events and custom-action responses of the activities
// before it. Walks the graph backwards from the node. An event reached only through its timeout path
// did not arrive, and an action reached only through its error path gave no response: those are
// left out (their own predecessors still count). Pure.
import { outgoingPaths, type JourneyDefinition } from '../model/journey.ts';

export interface Upstream {
  /** Event names (as event activities name them), in the definition's order. */
  readonly events: readonly string[];
  /** Custom action names, in the definition's order. */
  readonly actions: readonly string[];
  /** Ids of every activity before the node. */
  readonly nodes: readonly string[];
}

/** The events and actions upstream of `nodeId`, or null when the journey has no such node. */
export function upstreamOf(def: JourneyDefinition, nodeId: string): Upstream | null {
  if (!def.nodes.some((n) => n.id === nodeId)) return null;
  const preds = new Map<string, Array<{ from: string; via: string }>>();
  for (const n of def.nodes) {
    for (const p of outgoingPaths(n))
      for (const to of p.next)
        preds.set(to, [...(preds.get(to) ?? []), { from: n.id, via: p.name }]);
  }
  const seen = new Set<string>();
  const dataFrom = new Set<string>();
  const queue = [nodeId];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const { from, via } of preds.get(at) ?? []) {
      if (via === 'next') dataFrom.add(from);
      if (!seen.has(from)) {
        seen.add(from);
        queue.push(from);
      }
    }
  }
  const events: string[] = [];
  const actions: string[] = [];
  for (const n of def.nodes) {
    if (!dataFrom.has(n.id)) continue;
    if (n.kind === 'event' && !events.includes(n.event)) events.push(n.event);
    if (n.kind === 'action' && !actions.includes(n.action)) actions.push(n.action);
  }
  return { events, actions, nodes: def.nodes.filter((n) => seen.has(n.id)).map((n) => n.id) };
}
