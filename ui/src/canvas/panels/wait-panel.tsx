// Wait activity: a fixed duration, a fixed date and time (UTC), or a custom expression giving the
// date to wait until.
import type { WaitNode } from '@waymark/shared/model/journey.ts';
import { ExpressionEditor } from '../../expr/expression-editor.tsx';
import { expressionScope } from '../catalog.ts';
import type { PanelProps } from './side-panel.tsx';
import { DurationInput } from './duration-input.tsx';

export function WaitPanel(p: PanelProps<WaitNode>) {
  const n = p.node;
  const custom = n.until !== undefined;
  const fixed = n.at !== undefined;
  const { duration: _d, until: _u, at: _a, ...base } = n;
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Wait type">
        <button
          type="button"
          role="radio"
          aria-checked={!custom && !fixed}
          className={!custom && !fixed ? 'on' : ''}
          onClick={() => p.onChange({ ...base, duration: 'PT1H' })}
        >
          Duration
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={fixed}
          className={fixed ? 'on' : ''}
          onClick={() =>
            p.onChange({ ...base, at: new Date().toISOString().slice(0, 16) + ':00Z' })
          }
        >
          Date
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={custom}
          className={custom ? 'on' : ''}
          onClick={() => p.onChange({ ...base, until: '' })}
        >
          Custom
        </button>
      </div>
      {fixed && (
        <label>
          Wait until (UTC)
          <input
            type="datetime-local"
            name="wait-at"
            value={(n.at ?? '').slice(0, 16)}
            onChange={(e) => e.target.value && p.onChange({ ...base, at: `${e.target.value}:00Z` })}
          />
        </label>
      )}
      {!custom && !fixed && (
        <DurationInput
          label="Wait"
          value={n.duration}
          onChange={(v) => p.onChange({ ...base, duration: v })}
        />
      )}
      {custom && (
        <label>
          Wait until (an expression giving a date and time)
          <ExpressionEditor
            value={n.until ?? ''}
            expect="dateTimeOnly"
            scope={expressionScope(
              p.catalog,
              p.def.nodes.flatMap((x) => (x.kind === 'event' ? [x.event] : [])),
            )}
            onChange={(v) => p.onChange({ ...base, until: v })}
          />
        </label>
      )}
    </>
  );
}
