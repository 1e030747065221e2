// Condition activity: data-source condition paths (expressions), a percentage split, time
// conditions (hours and days, in a zone) or date conditions (between dates), each path with a
// label, and the "other cases" path.
import type { ConditionNode } from '@waymark/shared/model/journey.ts';
import { expressionScope } from '../catalog.ts';
import { ConditionBuilder } from './condition-form.tsx';
import { DateWindowFields, TimeWindowFields, TimeZoneField } from './window-fields.tsx';
import type { PanelProps } from './side-panel.tsx';

export function ConditionPanel(p: PanelProps<ConditionNode>) {
  const n = p.node;
  const scope = expressionScope(
    p.catalog,
    p.def.nodes.flatMap((x) => (x.kind === 'event' ? [x.event] : [])),
  );
  const setPath = (i: number, patch: Partial<ConditionNode['paths'][number]>) =>
    p.onChange({ ...n, paths: n.paths.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  return (
    <>
      <label>
        Type
        <select
          value={n.mode}
          onChange={(e) => {
            const mode = e.target.value as ConditionNode['mode'];
            // A profile cap: one path, the other cases for the rest, and a cap to start from.
            p.onChange(
              mode === 'profileCap'
                ? {
                    ...n,
                    mode,
                    cap: n.cap ?? 1000,
                    paths: n.paths.slice(0, 1),
                    otherwise: n.otherwise ?? { label: 'Over the cap', next: [] },
                  }
                : { ...n, mode },
            );
          }}
        >
          <option value="expression">Data source condition</option>
          <option value="split">Percentage split</option>
          <option value="time">Time condition</option>
          <option value="date">Date condition</option>
          <option value="profileCap">Profile cap</option>
        </select>
      </label>
      {n.mode === 'profileCap' && (
        <label>
          Number of profiles on the first path
          <input
            type="number"
            name="cap"
            min={1}
            step={1}
            value={n.cap ?? ''}
            onChange={(e) =>
              p.onChange({ ...n, cap: Math.max(1, Math.floor(Number(e.target.value) || 1)) })
            }
          />
        </label>
      )}
      {n.mode === 'time' && <TimeZoneField node={n} onChange={p.onChange} />}
      {n.paths.map((path, i) => (
        <div key={i} className="condition-path card" aria-label={`Path ${i + 1}`}>
          <label>
            Path label
            <input
              name={`path-${i}-label`}
              value={path.label ?? ''}
              onChange={(e) => setPath(i, { label: e.target.value })}
            />
          </label>
          {n.mode === 'time' ? (
            <TimeWindowFields
              index={i}
              value={path.time}
              onChange={(time) => setPath(i, { time })}
            />
          ) : n.mode === 'date' ? (
            <DateWindowFields
              index={i}
              value={path.date}
              onChange={(date) => setPath(i, { date })}
            />
          ) : n.mode === 'profileCap' ? (
            <p className="muted small">
              {i === 0
                ? `The first ${n.cap ?? 'N'} profiles take this path; the rest take the other cases.`
                : 'A profile cap has one path: remove this one.'}
            </p>
          ) : n.mode === 'expression' ? (
            <ConditionBuilder
              key={`${n.id}:${i}`}
              index={i}
              def={p.def}
              catalog={p.catalog}
              scope={scope}
              expression={path.expression ?? ''}
              onChange={(v) => setPath(i, { expression: v })}
            />
          ) : (
            <label>
              Percent
              <input
                type="number"
                min={0}
                max={100}
                value={path.percent ?? 0}
                onChange={(e) => setPath(i, { percent: Number(e.target.value) })}
              />
            </label>
          )}
          {n.paths.length > 1 && (
            <button
              type="button"
              onClick={() => p.onChange({ ...n, paths: n.paths.filter((_, j) => j !== i) })}
            >
              Remove path
            </button>
          )}
        </div>
      ))}
      {n.mode !== 'profileCap' && (
        <button
          type="button"
          onClick={() =>
            p.onChange({
              ...n,
              paths: [...n.paths, { label: `Path${n.paths.length + 1}`, next: [] }],
            })
          }
        >
          Add a path
        </button>
      )}
      <label className="check">
        <input
          type="checkbox"
          name="otherwise"
          checked={!!n.otherwise}
          onChange={(e) => {
            const { otherwise: _o, ...rest } = n;
            p.onChange(
              e.target.checked ? { ...n, otherwise: { label: 'Other cases', next: [] } } : rest,
            );
          }}
        />{' '}
        Show path for other cases than the one(s) above
      </label>
      {n.otherwise && (
        <label>
          Other cases label
          <input
            name="otherwise-label"
            value={n.otherwise.label ?? ''}
            onChange={(e) =>
              p.onChange({ ...n, otherwise: { ...n.otherwise!, label: e.target.value } })
            }
          />
        </label>
      )}
    </>
  );
}
