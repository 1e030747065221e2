// The profile a preview or a proof renders for: the sandbox's test profiles in a select, or any
// profile found by its identity (namespace and id, as on the profiles page). Picking one loads its
// audiences, which decide the conditional content.
import { useEffect, useState } from 'react';
import type { Profile, ProfileDetail, ProfileList } from '../../api/types.ts';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { audienceMap } from './render-request.ts';
import type { ChosenProfile, Simulation } from './simulation.ts';

const labelOf = (p: Profile): string => (p.identities[0] ? p.identities[0].id : p.id);
export const chosenOf = (p: Profile): ChosenProfile => ({
  id: p.id,
  label: labelOf(p),
  ...(p.identities[0] ? { identity: p.identities[0] } : {}),
  attributes: p.attributes,
});

export function ProfileChooser(p: {
  sim: Simulation;
  set: (next: (s: Simulation) => Simulation) => void;
  label?: string;
  search?: boolean;
}) {
  const api = useApi();
  const [tests, setTests] = useState<Profile[]>([]);
  const [query, setQuery] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    void api.get<ProfileList>('/v1/profiles').then(
      (r) => setTests(r.items.filter((x) => x.testProfile)),
      () => undefined,
    );
  }, [api]);

  const chosen = p.sim.profile;
  const { set } = p;
  // The audiences of the chosen profile: the server knows them (streaming and batch memberships).
  useEffect(() => {
    if (!chosen?.identity) {
      set((s) => (Object.keys(s.audiences).length ? { ...s, audiences: {} } : s));
      return;
    }
    let live = true;
    const { namespace, id } = chosen.identity;
    api
      .get<{ items: Array<{ audience: string; status: string }> }>(
        `/v1/profiles/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}/audiences`,
      )
      .then(
        (r) => {
          if (live) set((s) => ({ ...s, audiences: audienceMap(r.items) }));
        },
        () => undefined,
      );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, chosen?.id]);

  function pick(profile: Profile | null) {
    set((s) => ({ ...s, profile: profile ? chosenOf(profile) : null, audiences: {} }));
  }

  async function find() {
    const q = query.trim();
    if (!q) return;
    const [ns, ...rest] = q.includes(':') ? q.split(':') : ['Email', q];
    const id = rest.join(':');
    try {
      pick(
        await api.get<ProfileDetail>(
          `/v1/profiles/${encodeURIComponent(ns!)}/${encodeURIComponent(id)}`,
        ),
      );
      setMsg(null);
    } catch (e) {
      setMsg(`No profile ${ns}:${id} (${errorText(e)})`);
    }
  }

  const inList = chosen !== null && tests.some((t) => t.id === chosen.id);
  return (
    <div className="dz-profile">
      <label>
        {p.label ?? 'Test profile'}
        <select
          value={chosen?.id ?? ''}
          onChange={(e) => {
            const id = e.target.value;
            // The chosen profile has its own option until the test profiles load; picking that
            // option keeps it rather than clearing the choice.
            if (chosen && id === chosen.id && !tests.some((t) => t.id === id)) return;
            pick(tests.find((t) => t.id === id) ?? null);
          }}
        >
          <option value="">No profile</option>
          {!inList && chosen ? <option value={chosen.id}>{chosen.label}</option> : null}
          {tests.map((t) => (
            <option key={t.id} value={t.id}>
              {labelOf(t)}
            </option>
          ))}
        </select>
      </label>
      {p.search !== false ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void find();
          }}
        >
          <input
            aria-label="Find a profile by identity"
            placeholder="Email:someone@example.com"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="submit">Find</button>
        </form>
      ) : null}
      {msg ? <p className="error small">{msg}</p> : null}
    </div>
  );
}
