// Test mode as a journey debugger: pick a test profile, fire an event from a form generated from its
// JSON Schema (it reaches only the version under test), then follow the runs of the version. The
// runs are kept by the server (GET /v1/journeys/{id}/test-runs), so they are still here after the
// Report tab or after leaving test mode; choosing one lights its path on the canvas and lists its
// steps, and a step shows what happened there. A run can be replayed against the draft.
import { useEffect, useMemo, useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { ingestAnswer } from '@waymark/shared/api/events.ts';
import { errorText } from '../api/client.ts';
import type {
  JourneyDefinition,
  JourneyStatus,
  JourneySummary,
  Profile,
  ProfileList,
} from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import type { Catalog } from '../canvas/catalog.ts';
import {
  litOf,
  outcomeOf,
  stepsOf,
  time,
  type LitPath,
  type TestEventAnswer,
  type TestReplayAnswer,
  type TestRun,
  type TestRunList,
  type TestRunSummary,
} from './run-trace.ts';
import { SchemaForm, sampleOf, setPath } from './schema-form.tsx';
import { StepDetails } from './step-details.tsx';
import './test-mode.css';

export type { LitPath };

const EMPTY: LitPath = { nodes: new Set(), edges: new Set(), current: new Set() };

/** The run chosen per journey, kept for the session: leaving for the Report tab and coming back finds it again. */
const chosenKey = (journeyId: string) => `waymark.test-run.${journeyId}`;
const profileKey = (journeyId: string) => `waymark.test-profile.${journeyId}`;

export function TestPanel(p: {
  journeyId: string;
  def: JourneyDefinition;
  catalog: Catalog;
  status: JourneyStatus;
  onPath(l: LitPath): void;
}) {
  const api = useApi();
  const base = `/v1/journeys/${encodeURIComponent(p.journeyId)}`;
  const [profiles, setProfiles] = useState<readonly Profile[]>([]);
  // The profile is kept for the session too: back from the Report tab, the same profile and its runs.
  const [profileId, setProfileState] = useState(
    () => sessionStorage.getItem(profileKey(p.journeyId)) ?? '',
  );
  const setProfileId = (id: string) => {
    setProfileState(id);
    sessionStorage.setItem(profileKey(p.journeyId), id);
  };
  const events = useMemo(
    () => [...new Set(p.def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : [])))],
    [p.def],
  );
  const [eventType, setEventType] = useState(events[0] ?? '');
  const type = p.catalog.eventTypes.find((t) => t.key === eventType);
  const [payload, setPayload] = useState<unknown>(undefined);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [runs, setRuns] = useState<readonly TestRunSummary[]>([]);
  const [runId, setRunId] = useState<string | null>(() =>
    sessionStorage.getItem(chosenKey(p.journeyId)),
  );
  const [run, setRun] = useState<TestRun | null>(null);
  const [stepKey, setStepKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const profile = profiles.find((x) => x.id === profileId);

  useEffect(() => {
    void api.get<ProfileList>('/v1/profiles').then(
      (r) => {
        const test = r.items.filter((x) => x.testProfile);
        setProfiles(test.length ? test : r.items);
        const all = test.length ? test : r.items;
        setProfileState((cur) => (cur && all.some((x) => x.id === cur) ? cur : (all[0]?.id ?? '')));
      },
      (e: unknown) => setResult({ ok: false, text: errorText(e) }),
    );
  }, [api]);

  // The version whose runs are shown: the latest (the draft under test).
  useEffect(() => {
    void api.get<JourneySummary>(base).then(
      (j) => setVersion(j.latest.version),
      (e: unknown) => setResult({ ok: false, text: errorText(e) }),
    );
  }, [api, base, p.status]);

  // A fresh payload when the event or the profile changes, with the profile's identity filled in.
  useEffect(() => {
    if (!type) return;
    let v = sampleOf(type.spec.schema);
    const ident = type.spec.identity;
    const id = profile?.identities.find((i) => i.namespace === ident?.namespace)?.id;
    if (ident && id) v = setPath(v, ident.path, id);
    setPayload(v);
  }, [type, profile]);

  // The version's runs, polled: new runs appear, running ones move on.
  useEffect(() => {
    if (version === null) return;
    let live = true;
    const tick = async () => {
      try {
        const r = await api.get<TestRunList>(`${base}/test-runs?version=${version}`);
        if (live) setRuns(r.items);
      } catch {
        /* shown by the next send */
      }
    };
    void tick();
    const t = setInterval(() => void tick(), 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, base, version]);

  // Coming back (the Report tab, a reload): the profile of the remembered run is selected again.
  const remembered = runs.find((r) => r.id === runId)?.profileId;
  useEffect(() => {
    if (remembered && profiles.some((x) => x.id === remembered)) setProfileState(remembered);
  }, [remembered, profiles]);

  // The run shown: the one chosen, else the newest of the selected profile, else the newest.
  const shown =
    runs.find((r) => r.id === runId) ??
    runs.find((r) => r.profileId === profileId) ??
    runs[0] ??
    null;
  const shownId = shown?.id ?? null;
  const shownAt = shown?.updatedAt ?? 0;
  useEffect(() => {
    if (!shownId) {
      setRun(null);
      p.onPath(EMPTY);
      return;
    }
    let live = true;
    api.get<TestRun>(`${base}/test-runs/${encodeURIComponent(shownId)}`).then(
      (r) => {
        if (!live) return;
        setRun(r);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, base, shownId, shownAt]);

  function choose(id: string) {
    const r = runs.find((x) => x.id === id);
    if (r && profiles.some((x) => x.id === r.profileId)) setProfileId(r.profileId);
    setRunId(id);
    setStepKey(null);
    sessionStorage.setItem(chosenKey(p.journeyId), id);
  }

  async function send() {
    setResult(null);
    try {
      if (p.status === 'test') {
        const r = await api.post<TestEventAnswer>(`${base}/test-runs/events`, {
          type: eventType,
          payload,
        });
        const moved = r.result.status === 'accepted' ? r.result.journeys : [];
        const message = 'message' in r.result ? r.result.message : '';
        setResult({
          ok: r.result.status === 'accepted',
          text: `Event ${r.result.status}${moved.length ? ` into v${r.version}` : r.result.status === 'accepted' ? ': no run moved (the profile waits for another event)' : ''}${message ? `: ${message}` : ''}`,
        });
        setRunId(null);
        sessionStorage.removeItem(chosenKey(p.journeyId));
        setStepKey(null);
        return;
      }
      const r = await api.post<Answer<typeof ingestAnswer>>('/v1/events', {
        type: eventType,
        payload,
      });
      const first = r.results[0];
      const moved = first?.status === 'accepted' ? first.journeys : [];
      setResult({
        ok: true,
        text: `Event ${first?.status ?? 'sent'}${moved.length ? `: entered or moved ${moved.join(', ')}` : ''}`,
      });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    }
  }

  async function replay() {
    if (!shown) return;
    setBusy(true);
    try {
      const r = await api.post<TestReplayAnswer>(
        `${base}/test-runs/${encodeURIComponent(shown.id)}/replay`,
        {},
      );
      setResult({
        ok: true,
        text: `Replayed against v${r.version}${r.pending ? `; ${r.pending} more event${r.pending === 1 ? '' : 's'} once the wait or timeout fires, as in the original run` : ''}`,
      });
      if (r.runId) choose(r.runId);
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const label = (id: string) => p.def.nodes.find((n) => n.id === id)?.label || id;
  const steps = useMemo(
    () => (run && run.id === shownId ? stepsOf(run.trace) : []),
    [run, shownId],
  );
  const step = steps.find((s) => s.key === stepKey) ?? null;
  // The run's path on the canvas; the chosen step's activity is ringed.
  const stepNode = step?.node ?? null;
  useEffect(() => {
    if (!run || run.id !== shownId) return;
    const lit = litOf(run);
    p.onPath(stepNode ? { ...lit, current: new Set([stepNode]) } : lit);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run, shownId, stepNode]);
  return (
    <aside className="side-panel test-panel" aria-label="Test mode">
      <h2>Test mode</h2>
      {p.status === 'test' && (
        <p className="banner warn" role="status">
          Test mode: only test profiles enter, events sent here reach only this version; every wait
          and event timeout lasts {p.def.testMode?.waitSeconds ?? 10} s.
        </p>
      )}
      {p.status === 'live' && (
        <p className="banner warn">The journey is live: events reach it as in production.</p>
      )}
      {p.status !== 'test' && p.status !== 'live' && (
        <p className="banner warn">
          The journey is {p.status}: events do not move profiles in it. The runs of its test mode
          stay below.
        </p>
      )}
      <div className="test-send">
        <label>
          Test profile
          <select
            name="test-profile"
            value={profileId}
            onChange={(e) => {
              setProfileId(e.target.value);
              setRunId(null);
              setStepKey(null);
            }}
          >
            {profiles.map((x) => (
              <option key={x.id} value={x.id}>
                {x.identities[0]?.id ?? x.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event
          <select
            name="test-event"
            value={eventType}
            onChange={(e) => setEventType(e.target.value)}
          >
            {events.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </label>
        {/* Open until the version has a run; then folded so that the runs and their steps come first. */}
        {type && (
          <details
            className="test-payload"
            key={runs.length === 0 ? 'first' : 'later'}
            open={runs.length === 0}
          >
            <summary>Payload</summary>
            <form
              className="schema-form"
              id="test-event-form"
              onSubmit={(e) => {
                e.preventDefault();
                void send();
              }}
            >
              <SchemaForm
                schema={type.spec.schema}
                name={type.key}
                value={payload}
                onChange={setPayload}
              />
            </form>
          </details>
        )}
        {type && (
          <button className="primary" type="submit" form="test-event-form">
            Send event
          </button>
        )}
        {result && (
          <pre className={result.ok ? 'ok' : 'error'} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </pre>
        )}
      </div>

      <h3>Runs{version !== null ? ` of v${version}` : ''}</h3>
      {runs.length === 0 && (
        <p className="muted">No test run yet: send an event for a test profile.</p>
      )}
      {runs.length > 0 && (
        <ul className="run-list" aria-label="Test runs">
          {runs.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={r.id === shownId ? 'active' : ''}
                aria-current={r.id === shownId ? 'true' : undefined}
                onClick={() => choose(r.id)}
              >
                <strong>{r.profile?.replace(/^[^:]*:/, '') ?? r.profileId}</strong>
                <small className="muted"> · {time(r.startedAt)}</small>
                <br />
                <span className={`badge run-${r.status}`}>{r.status}</span>{' '}
                <small>
                  {r.status === 'active'
                    ? r.current.length
                      ? `at ${r.current.map(label).join(', ')}`
                      : 'running'
                    : (r.exitReason ?? 'exited').replace(/_/g, ' ')}
                  {r.status === 'active' && r.dueAt ? ` · due ${time(r.dueAt)}` : ''}
                </small>
              </button>
            </li>
          ))}
        </ul>
      )}

      {shown && (
        <>
          <div className="run-head">
            <h3>Path of {shown.profile?.replace(/^[^:]*:/, '') ?? 'the profile'}</h3>
            <button
              type="button"
              onClick={() => void replay()}
              disabled={busy || p.status !== 'test'}
              title={
                p.status === 'test'
                  ? 'The same profile and events, against this version'
                  : 'Turn test mode on to replay'
              }
            >
              Replay
            </button>
          </div>
          <ol className="path-log" data-testid="path-log">
            {steps.map((s) => (
              <li key={s.key} className={`step-${s.kind}`}>
                <button
                  type="button"
                  className={s.key === stepKey ? 'active' : ''}
                  aria-pressed={s.key === stepKey}
                  onClick={() => setStepKey(s.key === stepKey ? null : s.key)}
                >
                  <strong>{s.node ? label(s.node) : 'Exit'}</strong>{' '}
                  <span className="step-outcome">{outcomeOf(s)}</span>{' '}
                  <small className="muted">{time(s.at)}</small>
                </button>
              </li>
            ))}
            {shown.status === 'active' && shown.current.length > 0 && (
              <li className="muted">
                waiting at {shown.current.map(label).join(', ')}
                {shown.dueAt ? `; due ${time(shown.dueAt)}` : ''}
              </li>
            )}
            <li className="muted">status: {shown.status}</li>
          </ol>
          {step && <StepDetails step={step} label={label} />}
        </>
      )}
    </aside>
  );
}
