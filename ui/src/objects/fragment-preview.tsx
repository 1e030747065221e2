// Preview of an expression fragment: POST /v1/render with the bare template and a test profile.
import { useEffect, useState } from 'react';
import { errorText } from '../api/client.ts';
import type { Profile } from '../api/types.ts';
import { useApi } from '../app/session.tsx';

export function FragmentPreview(p: { source: string }) {
  const api = useApi();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [profile, setProfile] = useState('');
  const [out, setOut] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => { void api.get<{ items: Profile[] }>('/v1/profiles').then((r) => setProfiles(r.items.filter((x) => x.testProfile)), () => undefined); }, [api]);
  useEffect(() => {
    let live = true;
    const prof = profiles.find((x) => x.id === profile);
    const t = setTimeout(() => {
      api.post<{ output: string }>('/v1/render', { template: p.source, ...(prof ? { profile: prof.attributes } : {}) })
        .then((r) => { if (live) setOut({ ok: true, text: r.output }); }, (err: unknown) => { if (live) setOut({ ok: false, text: errorText(err) }); });
    }, 300);
    return () => { live = false; clearTimeout(t); };
  }, [api, p.source, profile, profiles]);
  return (
    <section className="extras preview" aria-label="Fragment preview">
      <h3>Preview</h3>
      <label>Test profile
        <select value={profile} onChange={(e) => setProfile(e.target.value)}>
          <option value="">No profile</option>
          {profiles.map((x) => <option key={x.id} value={x.id}>{x.identities[0]?.id ?? x.id}</option>)}
        </select>
      </label>
      {out && (out.ok ? <iframe title="Fragment preview" sandbox="" srcDoc={out.text} /> : <p className="error" role="alert">{out.text}</p>)}
    </section>
  );
}
