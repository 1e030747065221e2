// The simple mode's field picker: Context > events, profile and action responses, as a tree; picking
// a leaf gives its journey expression.
import { useState } from 'react';
import type { JourneyDefinition, JsonSchema } from '../../api/types.ts';
import type { Catalog } from '../catalog.ts';
import { actionResponseSchema } from '../catalog.ts';

interface TreeNode {
  label: string;
  expr?: string;
  children?: TreeNode[];
}

function fromSchema(
  s: JsonSchema | undefined,
  prefix: string,
  open: string,
  depth = 0,
): TreeNode[] {
  if (!s || depth > 8) return [];
  if (s.type === 'array' && s.items) return fromSchema(s.items, `${prefix}.at(0)`, open, depth + 1);
  return Object.entries(s.properties ?? {}).map(([k, v]) => {
    const path = `${prefix}.${k}`;
    const kids = fromSchema(v, path, open, depth + 1);
    return kids.length ? { label: k, children: kids } : { label: k, expr: `${open}${path}}` };
  });
}

export function buildFieldTree(def: JourneyDefinition, c: Catalog): TreeNode[] {
  const events = [...new Set(def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : [])))];
  const actions = [...new Set(def.nodes.flatMap((n) => (n.kind === 'action' ? [n.action] : [])))];
  return [
    {
      label: 'Context',
      children: events.map((e) => ({
        label: e,
        children: fromSchema(c.eventTypes.find((t) => t.key === e)?.spec.schema, e, '@event{'),
      })),
    },
    {
      label: 'Actions',
      children: actions.map((a) => {
        const spec = c.actions.find((x) => x.key === a)?.spec;
        return {
          label: a,
          children: fromSchema(spec ? actionResponseSchema(spec) : undefined, a, '@action{'),
        };
      }),
    },
  ];
}

function Branch(p: { node: TreeNode; onPick(expr: string): void; depth: number }) {
  const [open, setOpen] = useState(p.depth < 1);
  if (p.node.expr)
    return (
      <li>
        <button
          type="button"
          className="tree-leaf"
          onClick={() => p.onPick(p.node.expr!)}
          title={p.node.expr}
        >
          {p.node.label}
        </button>
      </li>
    );
  return (
    <li>
      <button
        type="button"
        className="tree-branch"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? '▾' : '▸'} {p.node.label}
      </button>
      {open && (
        <ul>
          {p.node.children?.map((c) => (
            <Branch key={c.label} node={c} onPick={p.onPick} depth={p.depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function FieldTree(p: {
  def: JourneyDefinition;
  catalog: Catalog;
  onPick(expr: string): void;
}) {
  return (
    <ul className="tree" role="tree">
      {buildFieldTree(p.def, p.catalog).map((n) => (
        <Branch key={n.label} node={n} onPick={p.onPick} depth={0} />
      ))}
    </ul>
  );
}
