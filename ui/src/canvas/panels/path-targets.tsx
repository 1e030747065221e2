// Keyboard way to connect paths: for each outgoing path, the activities it leads to, and an "add" list.
import type { JourneyDefinition, JourneyNode } from '../../api/types.ts';
import { handlesOf, targetsOf } from '../graph.ts';

export function PathTargets(p: {
  def: JourneyDefinition;
  node: JourneyNode;
  onConnect(s: string, h: string, t: string): void;
  onDisconnect(s: string, h: string, t: string): void;
}) {
  const handles = handlesOf(p.node);
  if (!handles.length) return null;
  const label = (id: string) => p.def.nodes.find((n) => n.id === id)?.label || id;
  return (
    <section className="paths" aria-label="Outgoing paths">
      <h3>Outgoing paths</h3>
      {handles.map((h) => {
        const targets = targetsOf(p.node, h.id);
        return (
          <div key={h.id} className="path-row">
            <span className="path-name">{h.label || 'Next'}</span>
            {targets.map((t) => (
              <span key={t} className="chip">
                {label(t)}
                <button
                  type="button"
                  aria-label={`Disconnect ${label(t)}`}
                  onClick={() => p.onDisconnect(p.node.id, h.id, t)}
                >
                  ×
                </button>
              </span>
            ))}
            <select
              aria-label={`Connect ${h.label || 'next'} path to`}
              value=""
              onChange={(e) => e.target.value && p.onConnect(p.node.id, h.id, e.target.value)}
            >
              <option value="">{targets.length ? 'Add…' : 'Connect to…'}</option>
              {p.def.nodes
                .filter(
                  (n) => n.id !== p.node.id && n.id !== p.def.start && !targets.includes(n.id),
                )
                .map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.label || n.id}
                  </option>
                ))}
            </select>
          </div>
        );
      })}
    </section>
  );
}
