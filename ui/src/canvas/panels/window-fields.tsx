// The fields of time and date conditions: a path's hours and days, the zone they are read in, and a
// path's dates. Dates are typed and shown in UTC, as the journey stores them.
import type { ConditionNode, DateWindow, TimeWindow } from '@waymark/shared/model/journey.ts';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export function TimeZoneField(p: { node: ConditionNode; onChange(n: ConditionNode): void }) {
  const zone = p.node.timeZone;
  const choice = zone === undefined ? 'journey' : zone === 'profile' ? 'profile' : 'fixed';
  const { timeZone: _z, ...rest } = p.node;
  return (
    <>
      <label>
        Time zone
        <select
          value={choice}
          onChange={(e) => {
            const v = e.target.value;
            p.onChange(
              v === 'journey'
                ? rest
                : { ...rest, timeZone: v === 'profile' ? 'profile' : 'Europe/Paris' },
            );
          }}
        >
          <option value="journey">The journey&apos;s time zone</option>
          <option value="profile">The profile&apos;s time zone (timeZone attribute)</option>
          <option value="fixed">A fixed time zone</option>
        </select>
      </label>
      {choice === 'fixed' && (
        <label>
          Zone (IANA name)
          <input
            name="time-zone"
            value={zone ?? ''}
            placeholder="Europe/Paris"
            onChange={(e) => p.onChange({ ...rest, timeZone: e.target.value })}
          />
        </label>
      )}
    </>
  );
}

export function TimeWindowFields(p: {
  index: number;
  value: TimeWindow | undefined;
  onChange(w: TimeWindow): void;
}) {
  const w = p.value ?? { from: '09:00', to: '17:00' };
  const days = w.days ?? [];
  const toggle = (d: number) => {
    const next = days.includes(d) ? days.filter((x) => x !== d) : [...days, d].sort();
    const { days: _d, ...rest } = w;
    p.onChange(next.length === 0 ? rest : { ...rest, days: next });
  };
  return (
    <>
      <div className="row">
        <label>
          From
          <input
            type="time"
            name={`path-${p.index}-from`}
            value={w.from}
            onChange={(e) => p.onChange({ ...w, from: e.target.value })}
          />
        </label>
        <label>
          To (not included)
          <input
            type="time"
            name={`path-${p.index}-to`}
            value={w.to}
            onChange={(e) => p.onChange({ ...w, to: e.target.value })}
          />
        </label>
      </div>
      <fieldset className="day-picker">
        <legend>Days (none: every day)</legend>
        {DAYS.map((name, i) => (
          <label key={name} className="check">
            <input type="checkbox" checked={days.includes(i + 1)} onChange={() => toggle(i + 1)} />{' '}
            {name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** "2026-12-24T09:00:00.000Z" ⇄ the "2026-12-24T09:00" a datetime-local input holds, in UTC. */
const toInput = (iso: string | undefined): string => (iso ? iso.slice(0, 16) : '');
const fromInput = (v: string): string | undefined => (v ? `${v}:00Z` : undefined);

export function DateWindowFields(p: {
  index: number;
  value: DateWindow | undefined;
  onChange(w: DateWindow): void;
}) {
  const w = p.value ?? {};
  const set = (key: 'after' | 'before', v: string) => {
    const { [key]: _old, ...rest } = w;
    const iso = fromInput(v);
    p.onChange(iso ? { ...rest, [key]: iso } : rest);
  };
  return (
    <div className="row">
      <label>
        From (UTC)
        <input
          type="datetime-local"
          name={`path-${p.index}-after`}
          value={toInput(w.after)}
          onChange={(e) => set('after', e.target.value)}
        />
      </label>
      <label>
        Before (UTC, not included)
        <input
          type="datetime-local"
          name={`path-${p.index}-before`}
          value={toInput(w.before)}
          onChange={(e) => set('before', e.target.value)}
        />
      </label>
    </div>
  );
}
