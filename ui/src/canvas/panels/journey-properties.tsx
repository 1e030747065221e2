// Journey properties: name, description, how profiles enter, re-entrance and its wait, time zone,
// action timeout, global timeout, exit criteria, access labels.
import type { JourneyDefinition } from '../../api/types.ts';
import type { Catalog } from '../catalog.ts';
import { withStart } from '../graph.ts';
import { JourneyEntry } from './journey-entry.tsx';
import { LabelPicker } from '../../labels/label-picker.tsx';

const ZONES = [
  'UTC',
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];

export function JourneyProperties(p: {
  def: JourneyDefinition;
  catalog: Catalog;
  readOnly: boolean;
  onChange(d: JourneyDefinition): void;
}) {
  const d = p.def;
  return (
    <fieldset disabled={p.readOnly} className="panel-body">
      <h2>Journey properties</h2>
      <label>
        Name
        <input
          name="journey-name"
          value={d.name}
          onChange={(e) => p.onChange({ ...d, name: e.target.value })}
        />
      </label>
      <label>
        Description
        <textarea
          value={d.description ?? ''}
          rows={3}
          onChange={(e) => p.onChange({ ...d, description: e.target.value })}
        />
      </label>
      <LabelPicker
        id="journey-labels"
        what="this journey"
        value={d.labels ?? []}
        disabled={p.readOnly}
        onChange={(labels) => {
          // No labels: the key goes, as a journey without labels was stored.
          const { labels: _old, ...rest } = d;
          p.onChange(labels.length > 0 ? { ...rest, labels: [...labels] } : rest);
        }}
      />
      <JourneyEntry
        entry={d.entry}
        catalog={p.catalog}
        onChange={(entry) => p.onChange(withStart({ ...d, entry }))}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={d.reentrance.allowed}
          onChange={(e) =>
            p.onChange({ ...d, reentrance: { ...d.reentrance, allowed: e.target.checked } })
          }
        />{' '}
        Allow re-entrance
      </label>
      {d.reentrance.allowed && (
        <label>
          Re-entrance wait period (seconds)
          <input
            type="number"
            min={0}
            value={d.reentrance.waitSeconds}
            onChange={(e) =>
              p.onChange({
                ...d,
                reentrance: { ...d.reentrance, waitSeconds: Math.max(0, Number(e.target.value)) },
              })
            }
          />
        </label>
      )}
      <label>
        Time zone
        <input
          list="time-zones"
          value={d.timeZone}
          onChange={(e) => p.onChange({ ...d, timeZone: e.target.value })}
        />
        <datalist id="time-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <label>
        Test mode: waits and timeouts last (seconds)
        <input
          type="number"
          min={1}
          max={3600}
          name="test-wait"
          value={d.testMode?.waitSeconds ?? 10}
          onChange={(e) =>
            p.onChange({
              ...d,
              testMode: {
                waitSeconds: Math.min(3600, Math.max(1, Math.round(Number(e.target.value)))),
              },
            })
          }
        />
      </label>
      <label>
        Custom action timeout or error (seconds, 1–30)
        <input
          type="number"
          min={1}
          max={30}
          value={d.actionTimeoutSeconds}
          onChange={(e) =>
            p.onChange({
              ...d,
              actionTimeoutSeconds: Math.min(30, Math.max(1, Number(e.target.value))),
            })
          }
        />
      </label>
      <label>
        Global timeout (days, 1–91): a profile still in the journey is removed
        <input
          type="number"
          min={1}
          max={91}
          name="journey-timeout"
          value={d.timeout?.days ?? 91}
          onChange={(e) => {
            const days = Math.min(91, Math.max(1, Math.round(Number(e.target.value) || 91)));
            // 91 days is the default: the key goes, as a journey without a timeout was stored.
            const { timeout: _old, ...rest } = d;
            p.onChange(days === 91 ? rest : { ...rest, timeout: { days } });
          }}
        />
      </label>
      <label>
        Identity namespace: profiles without an identity in it are not entered (empty: the entry
        event&apos;s)
        <input
          name="journey-namespace"
          list="journey-namespaces"
          value={d.namespace ?? ''}
          onChange={(e) => {
            const { namespace: _old, ...rest } = d;
            const ns = e.target.value.trim();
            p.onChange(ns ? { ...rest, namespace: ns } : rest);
          }}
        />
        <datalist id="journey-namespaces">
          {['Email', 'Phone', 'ECID', 'CRMID'].map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <label>
        Exit criteria: leave from any activity when one of these events occurs (comma-separated)
        <input
          name="journey-exit-criteria"
          list="exit-events"
          // Read when the field is left, so a trailing comma can be typed.
          key={exitEvents(d).join(', ')}
          defaultValue={exitEvents(d).join(', ')}
          onBlur={(e) =>
            p.onChange(
              withExitCriteria(d, [
                ...list(e.target.value).map((event) => ({ event })),
                ...exitAudiences(d).map((audienceExit) => ({ audienceExit })),
              ]),
            )
          }
        />
        <datalist id="exit-events">
          {p.catalog.eventTypes.map((t) => (
            <option key={t.key} value={t.key} />
          ))}
        </datalist>
      </label>
      <label>
        Exit criteria: leave from any activity when the profile leaves one of these audiences
        (comma-separated)
        <input
          name="journey-exit-audiences"
          list="exit-audiences"
          key={exitAudiences(d).join(', ')}
          defaultValue={exitAudiences(d).join(', ')}
          onBlur={(e) =>
            p.onChange(
              withExitCriteria(d, [
                ...exitEvents(d).map((event) => ({ event })),
                ...list(e.target.value).map((audienceExit) => ({ audienceExit })),
              ]),
            )
          }
        />
        <datalist id="exit-audiences">
          {p.catalog.audiences.map((a) => (
            <option key={a.key} value={a.key} />
          ))}
        </datalist>
      </label>
      <p className="muted small">
        Select an activity on the canvas to edit it. Drag activities from the palette, or focus one
        and press Enter to add it after the selected activity.
      </p>
    </fieldset>
  );
}

type Criteria = NonNullable<JourneyDefinition['exitCriteria']>;
const list = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
const exitEvents = (d: JourneyDefinition): string[] =>
  (d.exitCriteria ?? []).flatMap((c) => ('event' in c ? [c.event] : []));
const exitAudiences = (d: JourneyDefinition): string[] =>
  (d.exitCriteria ?? []).flatMap((c) => ('audienceExit' in c ? [c.audienceExit] : []));
/** No criteria: the key goes, as a journey without exit criteria was stored. */
function withExitCriteria(d: JourneyDefinition, criteria: Criteria): JourneyDefinition {
  const { exitCriteria: _old, ...rest } = d;
  return criteria.length > 0 ? { ...rest, exitCriteria: criteria } : rest;
}
