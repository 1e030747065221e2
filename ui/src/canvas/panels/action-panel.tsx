// Custom action activity: each variable field in simple mode (pick a field) or advanced mode
// (expression editor), and the "timeout or error" path.
import { useState } from 'react';
import type { ActionNode } from '@waymark/shared/model/journey.ts';
import { ExpressionEditor } from '../../expr/expression-editor.tsx';
import { actionVariables, expressionScope } from '../catalog.ts';
import { FieldTree } from './field-tree.tsx';
import type { PanelProps } from './side-panel.tsx';

export function ActionPanel(p: PanelProps<ActionNode>) {
  const n = p.node;
  const spec = p.catalog.actions.find((a) => a.key === n.action)?.spec;
  const vars = spec
    ? actionVariables(spec)
    : Object.keys(n.parameters).map((name) => ({ name, type: 'string', optional: false }));
  const [advanced, setAdvanced] = useState<Record<string, boolean>>({});
  const [picking, setPicking] = useState<string | null>(null);
  const scope = expressionScope(
    p.catalog,
    p.def.nodes.flatMap((x) => (x.kind === 'event' ? [x.event] : [])),
  );
  const setParam = (name: string, v: string) =>
    p.onChange({ ...n, parameters: { ...n.parameters, [name]: v } });
  return (
    <>
      <label>
        Action
        <select
          value={n.action}
          onChange={(e) => p.onChange({ ...n, action: e.target.value, parameters: {} })}
        >
          {p.catalog.actions.map((a) => (
            <option key={a.key}>{a.key}</option>
          ))}
        </select>
      </label>
      {spec?.url && (
        <p className="muted small">
          {String(spec.method ?? 'POST')} {spec.url}
        </p>
      )}
      <h3>Action parameters</h3>
      {vars.map((v) => (
        <div key={v.name} className="param card" data-param={v.name}>
          <div className="row between">
            <strong>{v.name}</strong>
            <small className="muted">
              {v.type}
              {v.optional ? ' · optional' : ''}
            </small>
            <button
              type="button"
              className="link"
              aria-pressed={!!advanced[v.name]}
              onClick={() => setAdvanced({ ...advanced, [v.name]: !advanced[v.name] })}
            >
              {advanced[v.name] ? 'Simple mode' : 'Advanced mode'}
            </button>
          </div>
          {advanced[v.name] ? (
            <ExpressionEditor
              value={n.parameters[v.name] ?? ''}
              scope={scope}
              onChange={(x) => setParam(v.name, x)}
              label={`${v.name} expression`}
            />
          ) : (
            <div className="row">
              <input
                aria-label={v.name}
                name={`param-${v.name}`}
                value={n.parameters[v.name] ?? ''}
                onChange={(e) => setParam(v.name, e.target.value)}
                placeholder="Pick a field or type a value"
              />
              <button
                type="button"
                aria-label={`Pick a field for ${v.name}`}
                onClick={() => setPicking(picking === v.name ? null : v.name)}
              >
                ✎
              </button>
            </div>
          )}
          {picking === v.name && !advanced[v.name] && (
            <FieldTree
              def={p.def}
              catalog={p.catalog}
              onPick={(e) => {
                setParam(v.name, e);
                setPicking(null);
              }}
            />
          )}
        </div>
      ))}
      <label className="check">
        <input
          type="checkbox"
          checked={!!n.errorPath}
          onChange={(e) => {
            const { errorPath: _e, ...rest } = n;
            p.onChange(e.target.checked ? { ...n, errorPath: { next: [] } } : rest);
          }}
        />{' '}
        Add an alternative path in case of a timeout or an error
      </label>
    </>
  );
}
