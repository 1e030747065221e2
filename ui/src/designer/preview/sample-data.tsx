// Sample data for the journey context of a preview: one form (from the event type's schema or the
// action's response) or JSON editor per event upstream of the activity and per custom action upstream, prefilled from the journey's last test run, else from
// the event type's schema or the action's response sample; any of them can be typed over.
import { useEffect, useState } from 'react';
import type { TestRun, TestRunList } from '../../test-mode/run-trace.ts';
import { useApi } from '../../app/session.tsx';
import { CodeEditor } from '../../expr/code-editor.tsx';
import { SchemaForm } from '../../test-mode/schema-form.tsx';
import { actionResponseSchema } from '../../canvas/catalog.ts';
import type { ActionSpec, JsonSchema } from '../../api/types.ts';
import { useDesigner } from '../contracts.ts';
import {
  actionSample,
  sampleFromSchema,
  samplesFromTrace,
  upstreamOf,
  type Upstream,
} from './render-request.ts';
import type { Simulation } from './simulation.ts';

const pretty = (v: unknown): string => JSON.stringify(v ?? {}, null, 2);

/** Events and actions the host can read: upstream of a journey activity; otherwise those given samples so far. */
export function useUpstream(sim: Simulation): Upstream {
  const d = useDesigner();
  if (d.host.kind === 'journey-activity') return upstreamOf(d.host.definition, d.host.nodeId);
  return { events: Object.keys(sim.events), actions: Object.keys(sim.actions) };
}

/**
 * Sample data filled once per host (the last test run's data where there is some, generated samples
 * elsewhere), whichever of the preview, the proof dialog or the side-by-side view opens first.
 */
export function useSamples(p: {
  sim: Simulation;
  set: (next: (s: Simulation) => Simulation) => void;
}) {
  const d = useDesigner();
  const api = useApi();
  const up = useUpstream(p.sim);
  const { set } = p;
  const fromSchema = (kind: 'event' | 'action', key: string): string => {
    if (kind === 'event')
      return pretty(
        sampleFromSchema(
          d.catalog.eventTypes.find((e) => e.key === key)?.spec.schema as never,
          key,
        ),
      );
    return pretty(
      actionSample(
        d.catalog.actions.find((a) => a.key === key)?.spec as Record<string, unknown> | undefined,
      ),
    );
  };

  async function fromLastRun(): Promise<{
    events: Record<string, unknown>;
    actions: Record<string, unknown>;
  } | null> {
    if (d.host.kind !== 'journey-activity') return null;
    const base = `/v1/journeys/${encodeURIComponent(d.host.journeyId)}`;
    const runs = (await api.get<TestRunList>(`${base}/test-runs`)).items;
    const last = [...runs].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (!last) return null;
    const run = await api.get<TestRun>(`${base}/test-runs/${encodeURIComponent(last.id)}`);
    return samplesFromTrace(run.trace, up);
  }

  // Prefilled once per host: the last test run's data where there is some, generated samples elsewhere.
  useEffect(() => {
    if (p.sim.prefilled) return;
    let live = true;
    void (async () => {
      const run = await fromLastRun().catch(() => null);
      if (!live) return;
      set((s) => {
        if (s.prefilled) return s;
        const events = { ...s.events };
        const actions = { ...s.actions };
        const origin = { ...s.origin };
        for (const e of up.events)
          if (events[e] === undefined) {
            const v = run?.events[e];
            events[e] = v === undefined ? fromSchema('event', e) : pretty(v);
            origin[`event:${e}`] = v === undefined ? 'from the schema' : 'from the last test run';
          }
        for (const a of up.actions)
          if (actions[a] === undefined) {
            const v = run?.actions[a];
            actions[a] = v === undefined ? fromSchema('action', a) : pretty(v);
            origin[`action:${a}`] =
              v === undefined ? 'from the response sample' : 'from the last test run';
          }
        return { ...s, events, actions, origin, prefilled: true };
      });
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.sim.prefilled]);

  return { up, fromSchema, fromLastRun };
}

export function SampleData(p: {
  sim: Simulation;
  set: (next: (s: Simulation) => Simulation) => void;
}) {
  const d = useDesigner();
  const { up, fromSchema, fromLastRun } = useSamples(p);
  const { set } = p;

  async function takeLastRun() {
    const run = await fromLastRun().catch(() => null);
    set((s) => {
      const events = { ...s.events };
      const actions = { ...s.actions };
      const origin = { ...s.origin };
      for (const [k, v] of Object.entries(run?.events ?? {})) {
        events[k] = pretty(v);
        origin[`event:${k}`] = 'from the last test run';
      }
      for (const [k, v] of Object.entries(run?.actions ?? {})) {
        actions[k] = pretty(v);
        origin[`action:${k}`] = 'from the last test run';
      }
      return { ...s, events, actions, origin };
    });
  }

  // A form where the data has a schema; JSON on request, or when what was typed is not an object.
  const [asJson, setAsJson] = useState<Readonly<Record<string, boolean>>>({});
  const schemaOf = (kind: 'event' | 'action', key: string): JsonSchema | undefined => {
    if (kind === 'event')
      return d.catalog.eventTypes.find((e) => e.key === key)?.spec.schema as JsonSchema | undefined;
    const spec = d.catalog.actions.find((a) => a.key === key)?.spec;
    return spec ? actionResponseSchema(spec as ActionSpec) : undefined;
  };
  const parsedObject = (text: string | undefined): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(text ?? '{}') as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };

  const extraEvents = d.catalog.eventTypes.filter((e) => !up.events.includes(e.key));
  const extraActions = d.catalog.actions.filter((a) => !up.actions.includes(a.key));
  const editor = (kind: 'event' | 'action', key: string) => {
    const map = kind === 'event' ? p.sim.events : p.sim.actions;
    const field = kind === 'event' ? 'events' : 'actions';
    const id = `${kind}:${key}`;
    const schema = schemaOf(kind, key);
    const value = parsedObject(map[key]);
    const type = (v: string) =>
      set((s) => ({
        ...s,
        [field]: { ...s[field], [key]: v },
        origin: { ...s.origin, [id]: 'typed' },
      }));
    const form = schema !== undefined && value !== undefined && !asJson[id];
    return (
      <div className="dz-sample" key={`${kind}:${key}`}>
        <div className="row between">
          <strong>{kind === 'event' ? `Event ${key}` : `Action ${key} response`}</strong>
          <span className="muted small">{p.sim.origin[`${kind}:${key}`] ?? ''}</span>
          <button
            type="button"
            className="small"
            onClick={() =>
              set((s) => ({
                ...s,
                [field]: { ...s[field], [key]: fromSchema(kind, key) },
                origin: {
                  ...s.origin,
                  [`${kind}:${key}`]:
                    kind === 'event' ? 'from the schema' : 'from the response sample',
                },
              }))
            }
          >
            {kind === 'event' ? `Generate ${key} from its schema` : `Use ${key} response sample`}
          </button>
        </div>
        {schema !== undefined && (
          <button
            type="button"
            className="small link"
            onClick={() => setAsJson((m) => ({ ...m, [id]: form }))}
            disabled={!form && value === undefined}
          >
            {form ? `Edit ${key} as JSON` : `Edit ${key} as a form`}
          </button>
        )}
        {form ? (
          <div
            className="dz-sample-form"
            role="group"
            aria-label={
              kind === 'event' ? `Sample event ${key} form` : `Sample response ${key} form`
            }
          >
            <SchemaForm
              schema={schema}
              value={value}
              name={key}
              onChange={(v) => type(pretty(v))}
            />
          </div>
        ) : (
          <CodeEditor
            language="json"
            label={kind === 'event' ? `Sample event ${key}` : `Sample response ${key}`}
            value={map[key] ?? '{}'}
            minHeight={80}
            onChange={type}
          />
        )}
      </div>
    );
  };

  return (
    <section className="dz-samples" aria-label="Sample data">
      <div className="row between">
        <h4>Journey context</h4>
        {d.host.kind === 'journey-activity' ? (
          <button type="button" onClick={() => void takeLastRun()}>
            Use the last test run
          </button>
        ) : null}
      </div>
      {up.events.length + up.actions.length === 0 ? (
        <p className="muted small">No event or custom action comes before this message.</p>
      ) : null}
      {up.events.map((e) => editor('event', e))}
      {up.actions.map((a) => editor('action', a))}
      {d.host.kind !== 'journey-activity' && extraEvents.length + extraActions.length > 0 ? (
        <label>
          Add sample data for
          <select
            value=""
            onChange={(e) => {
              const [kind, key] = e.target.value.split(':') as ['event' | 'action', string];
              if (!key) return;
              const field = kind === 'event' ? 'events' : 'actions';
              set((s) => ({ ...s, [field]: { ...s[field], [key]: fromSchema(kind, key) } }));
            }}
          >
            <option value="">…</option>
            {extraEvents.map((e) => (
              <option key={e.key} value={`event:${e.key}`}>
                Event {e.key}
              </option>
            ))}
            {extraActions.map((a) => (
              <option key={a.key} value={`action:${a.key}`}>
                Action {a.key}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </section>
  );
}
