// Test mode: pick a test profile, fire an event from a form generated from its JSON Schema, and watch
// the profile's path light up on the canvas (polling GET /v1/journeys/{id}/instances).
import { useEffect, useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import type { Instance, JourneyDefinition, JourneyStatus, Profile } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import type { Catalog } from '../canvas/catalog.ts';
import { SchemaForm, sampleOf, setPath } from './schema-form.tsx';

export interface LitPath { nodes: Set<string>; edges: Set<string>; current: Set<string> }

export function litFrom(instances: readonly Instance[]): LitPath {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const current = new Set<string>();
  for (const i of instances) {
    i.path.forEach((s, k) => { nodes.add(s.node); const prev = i.path[k - 1]; if (prev) edges.add(`${prev.node}->${s.node}`); });
    for (const w of i.waiting?.nodes ?? []) current.add(w);
    const last = i.path[i.path.length - 1];
    if (last && last.left === undefined && i.status === 'active') current.add(last.node);
  }
  return { nodes, edges, current };
}

export function TestPanel(p: { journeyId: string; def: JourneyDefinition; catalog: Catalog; status: JourneyStatus; onPath(l: LitPath): void }) {
  const api = useApi();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [profileId, setProfileId] = useState('');
  const events = useMemo(() => [...new Set(p.def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : [])))], [p.def]);
  const [eventType, setEventType] = useState(events[0] ?? '');
  const type = p.catalog.eventTypes.find((t) => t.key === eventType);
  const [payload, setPayload] = useState<unknown>(undefined);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [instances, setInstances] = useState<Instance[]>([]);
  const profile = profiles.find((x) => x.id === profileId);

  useEffect(() => {
    void api.get<{ items: Profile[] }>('/v1/profiles').then((r) => {
      const test = r.items.filter((x) => x.testProfile);
      setProfiles(test.length ? test : r.items);
      setProfileId((cur) => cur || (test[0] ?? r.items[0])?.id || '');
    }, (e: unknown) => setResult({ ok: false, text: errorText(e) }));
  }, [api]);

  // A fresh payload when the event or the profile changes, with the profile's identity filled in.
  useEffect(() => {
    if (!type) return;
    let v = sampleOf(type.spec.schema);
    const ident = type.spec.identity;
    const id = profile?.identities.find((i) => i.namespace === ident?.namespace)?.id;
    if (ident && id) v = setPath(v, ident.path, id);
    setPayload(v);
  }, [type, profile]);

  // Poll the profile's instances and light its path.
  useEffect(() => {
    if (!profile) return;
    const ref = profile.identities[0] ? `${profile.identities[0].namespace}:${profile.identities[0].id}` : profile.id;
    let live = true;
    const tick = async () => {
      try {
        const r = await api.get<{ items: Instance[] }>(`/v1/journeys/${encodeURIComponent(p.journeyId)}/instances?profile=${encodeURIComponent(ref)}`);
        if (!live) return;
        const latest = r.items.sort((a, b) => b.enteredAt - a.enteredAt).slice(0, 1);
        setInstances(latest);
        p.onPath(litFrom(latest));
      } catch { /* shown by the next send */ }
    };
    void tick();
    const t = setInterval(() => void tick(), 1000);
    return () => { live = false; clearInterval(t); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, profile, p.journeyId]);

  async function send() {
    setResult(null);
    try {
      const r = await api.post<{ accepted: number; results: Array<{ status: string; journeys?: string[] }> }>('/v1/events', { type: eventType, payload });
      const first = r.results[0];
      setResult({ ok: true, text: `Event ${first?.status ?? 'sent'}${first?.journeys?.length ? `: entered or moved ${first.journeys.join(', ')}` : ''}` });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    }
  }

  const inst = instances[0];
  const label = (id: string) => p.def.nodes.find((n) => n.id === id)?.label || id;
  return (
    <aside className="side-panel test-panel" aria-label="Test mode">
      <h2>Test mode</h2>
      {p.status === 'test' && <p className="banner warn" role="status">Test mode: only test profiles enter; every wait and event timeout lasts {p.def.testMode?.waitSeconds ?? 10} s.</p>}
      {p.status === 'live' && <p className="banner warn">The journey is live: events reach it as in production.</p>}
      {p.status !== 'test' && p.status !== 'live' && <p className="banner warn">The journey is {p.status}: events do not move profiles in it.</p>}
      <label>Test profile
        <select name="test-profile" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
          {profiles.map((x) => <option key={x.id} value={x.id}>{x.identities[0]?.id ?? x.id}</option>)}
        </select>
      </label>
      <h3>Path of {profile?.identities[0]?.id ?? 'the profile'}</h3>
      {!inst && <p className="muted">Not in the journey yet.</p>}
      {inst && (
        <ol className="path-log" data-testid="path-log">
          {inst.path.map((s, i) => <li key={i}><strong>{label(s.node)}</strong>{s.outcome ? ` → ${s.outcome}` : ''} <small className="muted">{new Date(s.at).toLocaleTimeString()}</small></li>)}
          {inst.waiting?.timer && <li className="muted">waiting; {inst.waiting.timer.reason} at {new Date(inst.waiting.timer.dueAt).toLocaleTimeString()}</li>}
          <li className="muted">status: {inst.status}</li>
        </ol>
      )}
      <label>Event
        <select name="test-event" value={eventType} onChange={(e) => setEventType(e.target.value)}>
          {events.map((e) => <option key={e}>{e}</option>)}
        </select>
      </label>
      {type && <form className="schema-form" onSubmit={(e) => { e.preventDefault(); void send(); }}>
        <SchemaForm schema={type.spec.schema} name={type.key} value={payload} onChange={setPayload} />
        <button className="primary" type="submit">Send event</button>
      </form>}
      {result && <pre className={result.ok ? 'ok' : 'error'} role={result.ok ? 'status' : 'alert'}>{result.text}</pre>}
    </aside>
  );
}
