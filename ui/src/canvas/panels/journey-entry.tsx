// How profiles enter the journey: with its first event, when their membership of an audience
// changes (audience qualification), or read from an audience once or on a schedule (read audience),
// at a pace of 500 to 20,000 profiles a second. The shapes are src/model/journey.ts's entry.
import { useState } from 'react';
import type { JourneyDefinition } from '../../api/types.ts';
import type { Catalog } from '../catalog.ts';

export type Entry = JourneyDefinition['entry'];
export type EntryType = Entry['type'];

/** A fresh entry of a type, filled with the sandbox's first audience and the usual defaults. */
export function blankEntry(type: EntryType, catalog: Catalog): Entry {
  const audience = catalog.audiences[0]?.key ?? '';
  switch (type) {
    case 'event':
      return { type: 'event' };
    case 'audience':
      return { type: 'audience', audience, on: 'realized' };
    case 'readAudience':
      return {
        type: 'readAudience',
        audience,
        namespace: 'Email',
        ratePerSecond: 5000,
        incremental: false,
        forceReentranceOnRecurrence: false,
        schedule: { kind: 'once' },
      };
  }
}

// datetime-local gives "2026-11-29T10:00"; the model takes an ISO time with an offset (UTC here).
const toIso = (local: string): string | undefined =>
  local ? new Date(`${local}Z`).toISOString() : undefined;
const toLocal = (iso: string | undefined): string => (iso ? iso.slice(0, 16) : '');

export function JourneyEntry(p: { entry: Entry; catalog: Catalog; onChange(e: Entry): void }) {
  const e = p.entry;
  const audiences = [
    ...new Set([
      ...(e.type === 'event' ? [] : [e.audience]),
      ...p.catalog.audiences.map((a) => a.key),
    ]),
  ].filter(Boolean);
  const recurring =
    e.type === 'readAudience' && e.schedule.kind === 'recurring' ? e.schedule : null;
  // A business event journey: the read runs when the business event arrives (AJO).
  const businessTypes = p.catalog.eventTypes
    .filter((t) => t.spec.business === true)
    .map((t) => t.key);
  const business = e.type === 'readAudience' ? e.businessEvent : undefined;
  return (
    <section className="entry" aria-label="Journey entry">
      <label>
        Profiles enter
        <select
          aria-label="Entry"
          value={e.type}
          onChange={(ev) => p.onChange(blankEntry(ev.target.value as EntryType, p.catalog))}
        >
          <option value="event">with the first event</option>
          <option value="audience">when they join or leave an audience</option>
          <option value="readAudience">read from an audience</option>
        </select>
      </label>
      {e.type !== 'event' && (
        <label>
          Audience
          <select
            aria-label="Entry audience"
            value={e.audience}
            onChange={(ev) => p.onChange({ ...e, audience: ev.target.value })}
          >
            {audiences.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      )}
      {e.type === 'audience' && (
        <label>
          When the profile
          <select
            aria-label="Entry on"
            value={e.on}
            onChange={(ev) => p.onChange({ ...e, on: ev.target.value as 'realized' | 'exited' })}
          >
            <option value="realized">joins the audience</option>
            <option value="exited">leaves the audience</option>
          </select>
        </label>
      )}
      {e.type === 'readAudience' && (
        <>
          <label>
            Identity namespace (members without one do not enter)
            <input
              aria-label="Entry namespace"
              value={e.namespace}
              onChange={(ev) => p.onChange({ ...e, namespace: ev.target.value })}
            />
          </label>
          <label>
            Reading rate (profiles a second, 500 to 20,000)
            <RateInput
              value={e.ratePerSecond}
              onChange={(ratePerSecond) => p.onChange({ ...e, ratePerSecond })}
            />
          </label>
          <label>
            Schedule
            <select
              aria-label="Entry schedule"
              value={business !== undefined ? 'business' : e.schedule.kind}
              onChange={(ev) => {
                const { businessEvent: _old, ...rest } = e;
                const v = ev.target.value;
                p.onChange(
                  v === 'business'
                    ? { ...rest, schedule: { kind: 'once' }, businessEvent: businessTypes[0] ?? '' }
                    : {
                        ...rest,
                        schedule:
                          v === 'once' ? { kind: 'once' } : { kind: 'recurring', every: 'P1D' },
                      },
                );
              }}
            >
              <option value="once">once</option>
              <option value="recurring">recurring</option>
              <option value="business">on a business event</option>
            </select>
          </label>
          {business !== undefined && (
            <label>
              Business event (its payload is in every profile&apos;s context)
              <select
                aria-label="Entry business event"
                value={business}
                onChange={(ev) => p.onChange({ ...e, businessEvent: ev.target.value })}
              >
                {[...new Set([business, ...businessTypes])].filter(Boolean).map((b) => (
                  <option key={b}>{b}</option>
                ))}
              </select>
            </label>
          )}
          {e.schedule.kind === 'once' && business === undefined && (
            <label>
              At (UTC; empty: as soon as published)
              <input
                type="datetime-local"
                aria-label="Entry at"
                value={toLocal(e.schedule.at)}
                onChange={(ev) => {
                  const at = toIso(ev.target.value);
                  p.onChange({ ...e, schedule: at ? { kind: 'once', at } : { kind: 'once' } });
                }}
              />
            </label>
          )}
          {recurring && (
            <>
              <label>
                Every (ISO 8601 duration: PT1H, P1D, P7D)
                <input
                  aria-label="Entry every"
                  value={recurring.every}
                  onChange={(ev) =>
                    p.onChange({ ...e, schedule: { ...recurring, every: ev.target.value } })
                  }
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label="Entry incremental"
                  checked={e.incremental}
                  onChange={(ev) => p.onChange({ ...e, incremental: ev.target.checked })}
                />{' '}
                Incremental: after the first run, only members who joined since the last one
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  aria-label="Entry force re-entrance"
                  checked={e.forceReentranceOnRecurrence}
                  onChange={(ev) =>
                    p.onChange({ ...e, forceReentranceOnRecurrence: ev.target.checked })
                  }
                />{' '}
                Force re-entrance on each run
              </label>
            </>
          )}
        </>
      )}
      <p className="muted small">
        {e.type === 'event'
          ? 'The journey starts at the event activity no other activity leads to.'
          : "The journey starts at the activity no other activity leads to; every event activity must use the audience's identity namespace."}
      </p>
    </section>
  );
}

/** The reading rate: typed freely, kept within 500 to 20,000 when the field is left. */
function RateInput(p: { value: number; onChange(v: number): void }) {
  const [text, setText] = useState(String(p.value));
  const commit = () => {
    const n = Math.min(20000, Math.max(500, Math.round(Number(text) || 5000)));
    setText(String(n));
    if (n !== p.value) p.onChange(n);
  };
  return (
    <input
      type="number"
      aria-label="Entry rate"
      min={500}
      max={20000}
      step={500}
      value={text}
      onChange={(ev) => setText(ev.target.value)}
      onBlur={commit}
      onKeyDown={(ev) => {
        if (ev.key === 'Enter') commit();
      }}
    />
  );
}
