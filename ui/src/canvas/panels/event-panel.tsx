// Event activity: the event type, "Define the event timeout" and "Set a timeout path".
import type { EventNode } from '@waymark/shared/model/journey.ts';
import type { PanelProps } from './side-panel.tsx';
import { DurationInput } from './duration-input.tsx';

export function EventPanel(p: PanelProps<EventNode>) {
  const n = p.node;
  const isStart = p.def.start === n.id;
  return (
    <>
      <label>
        Event
        <select value={n.event} onChange={(e) => p.onChange({ ...n, event: e.target.value })}>
          {p.catalog.eventTypes.map((t) => (
            <option key={t.key} value={t.key}>
              {t.key}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          name="timeout"
          checked={!!n.timeout}
          onChange={(e) => {
            const { timeout: _t, ...rest } = n;
            p.onChange(e.target.checked ? { ...n, timeout: { duration: 'PT1M' } } : rest);
          }}
        />{' '}
        Define the event timeout
      </label>
      {isStart && n.timeout && (
        <p className="muted small">The first event of a journey cannot have a timeout.</p>
      )}
      {n.timeout && (
        <>
          <DurationInput
            label="Timeout"
            value={n.timeout.duration}
            onChange={(v) => p.onChange({ ...n, timeout: { ...n.timeout!, duration: v } })}
          />
          <label className="check">
            <input
              type="checkbox"
              name="timeout-path"
              checked={!!n.timeout.next}
              onChange={(e) => {
                const { next: _n, ...t } = n.timeout!;
                p.onChange({ ...n, timeout: e.target.checked ? { ...t, next: [] } : t });
              }}
            />{' '}
            Set a timeout path
          </label>
        </>
      )}
    </>
  );
}
