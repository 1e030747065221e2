// When the campaign sends: as soon as activated, once at a date and time (in a time zone), or on a
// recurrence (daily, weekly, monthly, cron) with an end. Then the throttle: a rate and a cap. An
// API-triggered campaign's schedule is when it accepts calls.
import { useMemo } from 'react';
import type { CampaignDef, CampaignSchedule } from './campaign-api.ts';
import { WEEKDAYS, isoToZoned, scheduleText, zonedToIso } from './campaign-text.ts';
import type { StepProps } from './campaign-wizard.tsx';

type Recurrence = Extract<CampaignSchedule, { kind: 'recurring' }>['recurrence'];

const FALLBACK_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
];

function zones(current: string): readonly string[] {
  let all: string[];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = FALLBACK_ZONES;
  }
  return ['UTC', ...all.filter((z) => z !== 'UTC'), ...(all.includes(current) ? [] : [current])];
}

/** Tomorrow at 09:00 on the zone's wall clock: where a date input starts. */
function tomorrowAtNine(timeZone: string): string {
  const d = isoToZoned(new Date(Date.now() + 86_400_000).toISOString(), timeZone).slice(0, 10);
  return zonedToIso(`${d}T09:00`, timeZone) ?? new Date().toISOString();
}

function defaultRecurrence(f: Recurrence['frequency']): Recurrence {
  switch (f) {
    case 'daily':
      return { frequency: 'daily', every: 1, time: '09:00' };
    case 'weekly':
      return { frequency: 'weekly', every: 1, weekdays: [1], time: '09:00' };
    case 'monthly':
      return { frequency: 'monthly', every: 1, dayOfMonth: 1, time: '09:00' };
    case 'cron':
      return { frequency: 'cron', expression: '0 9 * * 1' };
  }
}

/** A date and time input on the campaign's time zone's wall clock. */
function ZonedInput(p: {
  label: string;
  name: string;
  iso: string | undefined;
  timeZone: string;
  required?: boolean;
  onChange(iso: string | undefined): void;
}) {
  return (
    <label>
      {p.label}
      <input
        type="datetime-local"
        name={p.name}
        required={p.required}
        value={isoToZoned(p.iso, p.timeZone)}
        onChange={(e) =>
          p.onChange(
            e.target.value ? (zonedToIso(e.target.value, p.timeZone) ?? undefined) : undefined,
          )
        }
      />
    </label>
  );
}

export function ScheduleStep(p: StepProps) {
  const d = p.def;
  const s = d.schedule;
  const tz = d.timeZone;
  const zoneList = useMemo(() => zones(tz), [tz]);
  const setSchedule = (next: CampaignSchedule) => p.change((x) => ({ ...x, schedule: next }));
  const api = d.type === 'api-triggered';

  function kind(k: CampaignSchedule['kind']) {
    if (k === s.kind) return;
    const day30 = isoToZoned(new Date(Date.now() + 30 * 86_400_000).toISOString(), tz).slice(0, 10);
    const in30 =
      zonedToIso(`${day30}T23:59`, tz) ?? new Date(Date.now() + 30 * 86_400_000).toISOString();
    setSchedule(
      k === 'now'
        ? { kind: 'now' }
        : k === 'at'
          ? { kind: 'at', at: tomorrowAtNine(tz) }
          : { kind: 'recurring', recurrence: defaultRecurrence('daily'), endAt: in30 },
    );
  }

  return (
    <div className="campaign-form">
      <fieldset className="choice-cards" aria-label="Start">
        <legend>{api ? 'Accept calls' : 'Send'}</legend>
        <label className={`choice-card${s.kind === 'now' ? ' on' : ''}`}>
          <input
            type="radio"
            name="schedule"
            checked={s.kind === 'now'}
            onChange={() => kind('now')}
          />
          <strong>As soon as activated</strong>
        </label>
        <label className={`choice-card${s.kind === 'at' ? ' on' : ''}`}>
          <input
            type="radio"
            name="schedule"
            checked={s.kind === 'at'}
            onChange={() => kind('at')}
          />
          <strong>{api ? 'From a date and time' : 'At a date and time'}</strong>
        </label>
        {!api && (
          <label className={`choice-card${s.kind === 'recurring' ? ' on' : ''}`}>
            <input
              type="radio"
              name="schedule"
              checked={s.kind === 'recurring'}
              onChange={() => kind('recurring')}
            />
            <strong>Recurring</strong>
          </label>
        )}
      </fieldset>
      {s.kind !== 'now' && (
        <label>
          Time zone
          <select
            name="time-zone"
            value={tz}
            onChange={(e) => {
              const next = e.target.value;
              // The wall-clock times stay what they read; the instants move with the zone.
              const move = (iso: string | undefined) =>
                iso ? (zonedToIso(isoToZoned(iso, tz), next) ?? iso) : undefined;
              p.change((x) => {
                const sc = x.schedule;
                const schedule: CampaignSchedule =
                  sc.kind === 'at'
                    ? { ...sc, at: move(sc.at)!, ...(sc.endAt ? { endAt: move(sc.endAt)! } : {}) }
                    : sc.kind === 'recurring'
                      ? {
                          ...sc,
                          endAt: move(sc.endAt)!,
                          ...(sc.startAt ? { startAt: move(sc.startAt)! } : {}),
                        }
                      : sc;
                return { ...x, timeZone: next, schedule };
              });
            }}
          >
            {zoneList.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </label>
      )}
      {s.kind === 'at' && (
        <div className="two-cols">
          <ZonedInput
            label={api ? 'From' : 'Send at'}
            name="at"
            required
            iso={s.at}
            timeZone={tz}
            onChange={(iso) => iso && setSchedule({ ...s, at: iso })}
          />
          {api && (
            <ZonedInput
              label="Until (optional)"
              name="end-at"
              iso={s.endAt}
              timeZone={tz}
              onChange={(iso) => {
                const { endAt: _e, ...rest } = s;
                setSchedule(iso ? { ...rest, endAt: iso } : rest);
              }}
            />
          )}
        </div>
      )}
      {s.kind === 'recurring' && (
        <RecurrenceFields
          value={s.recurrence}
          onChange={(recurrence) => setSchedule({ ...s, recurrence })}
        />
      )}
      {s.kind === 'recurring' && (
        <div className="two-cols">
          <ZonedInput
            label="Starting (optional: at activation)"
            name="start-at"
            iso={s.startAt}
            timeZone={tz}
            onChange={(iso) => {
              const { startAt: _s, ...rest } = s;
              setSchedule(iso ? { ...rest, startAt: iso } : rest);
            }}
          />
          <ZonedInput
            label="Ending"
            name="end-at"
            required
            iso={s.endAt}
            timeZone={tz}
            onChange={(iso) => iso && setSchedule({ ...s, endAt: iso })}
          />
        </div>
      )}
      <p className="schedule-summary" aria-label="Schedule summary">
        {scheduleText(s, tz, d.type)}
      </p>
      {!api && (
        <>
          <label className="check">
            <input
              type="checkbox"
              name="profile-time-zone"
              checked={d.useProfileTimeZone}
              onChange={(e) => p.change((x) => ({ ...x, useProfileTimeZone: e.target.checked }))}
            />
            Send at that time in each profile's own time zone
          </label>
          <p className="muted small">
            Each profile gets the message at this wall-clock time in its <code>timeZone</code> (a
            zone name or a UTC offset such as +05:30); profiles without one use {tz}. Sends spread
            over up to 26 hours, from the first zone to the last, and the campaign stays live until
            the last zone has run.
          </p>
        </>
      )}
      <h3>Throttling</h3>
      <ThrottleFields def={d} change={p.change} />
    </div>
  );
}

function RecurrenceFields(p: { value: Recurrence; onChange(r: Recurrence): void }) {
  const r = p.value;
  const unit = { daily: 'days', weekly: 'weeks', monthly: 'months', cron: '' }[r.frequency];
  return (
    <div className="recurrence">
      <div className="row">
        <label className="inline">
          Repeat
          <select
            name="frequency"
            value={r.frequency}
            onChange={(e) =>
              p.onChange(defaultRecurrence(e.target.value as Recurrence['frequency']))
            }
          >
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
            <option value="cron">Cron expression</option>
          </select>
        </label>
        {r.frequency !== 'cron' && (
          <>
            <label className="inline">
              every
              <input
                type="number"
                name="every"
                min={1}
                className="narrow"
                value={r.every}
                onChange={(e) =>
                  p.onChange({ ...r, every: Math.max(1, Number(e.target.value) || 1) })
                }
              />
              {unit}
            </label>
            <label className="inline">
              at
              <input
                type="time"
                name="time"
                className="narrow"
                value={r.time}
                onChange={(e) => e.target.value && p.onChange({ ...r, time: e.target.value })}
              />
            </label>
          </>
        )}
      </div>
      {r.frequency === 'weekly' && (
        <fieldset className="weekdays" aria-label="Weekdays">
          {WEEKDAYS.map((w, i) => (
            <label key={w} className="check">
              <input
                type="checkbox"
                checked={r.weekdays.includes(i)}
                onChange={(e) => {
                  const days = e.target.checked
                    ? [...r.weekdays, i].sort()
                    : r.weekdays.filter((x) => x !== i);
                  if (days.length) p.onChange({ ...r, weekdays: days });
                }}
              />
              {w}
            </label>
          ))}
        </fieldset>
      )}
      {r.frequency === 'monthly' && (
        <label className="inline">
          on day
          <input
            type="number"
            name="day-of-month"
            className="narrow"
            min={1}
            max={31}
            value={r.dayOfMonth}
            onChange={(e) =>
              p.onChange({
                ...r,
                dayOfMonth: Math.min(31, Math.max(1, Number(e.target.value) || 1)),
              })
            }
          />
        </label>
      )}
      {r.frequency === 'cron' && (
        <label>
          Cron expression (minute hour day month weekday)
          <input
            name="cron"
            value={r.expression}
            onChange={(e) => p.onChange({ ...r, expression: e.target.value })}
          />
        </label>
      )}
    </div>
  );
}

function ThrottleFields(p: { def: CampaignDef; change: StepProps['change'] }) {
  const t = p.def.throttle;
  const set = (k: 'ratePerSecond' | 'maxMessages', v: string) =>
    p.change((x) => {
      const { [k]: _old, ...rest } = x.throttle;
      const n = Math.floor(Number(v));
      return { ...x, throttle: v.trim() && n > 0 ? { ...rest, [k]: n } : rest };
    });
  return (
    <div className="two-cols">
      <label>
        Rate (messages per second, 1-2,000)
        <input
          type="number"
          name="rate"
          min={1}
          max={2000}
          placeholder="No limit"
          value={t.ratePerSecond ?? ''}
          onChange={(e) => set('ratePerSecond', e.target.value)}
        />
      </label>
      <label>
        At most (messages per run)
        <input
          type="number"
          name="max-messages"
          min={1}
          placeholder="No cap"
          value={t.maxMessages ?? ''}
          onChange={(e) => set('maxMessages', e.target.value)}
        />
      </label>
    </div>
  );
}
