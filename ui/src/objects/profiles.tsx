// Profiles: list (test profiles first), look-up by identity, attributes as JSON, test-profile flag,
// audience memberships, recent events, erasure on request, and bulk import.
import { useEffect, useState } from 'react';
import { defaultNamespaces } from '@waymark/shared/model/identity.ts';
import { errorText } from '../api/client.ts';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { objectListAnswer } from '@waymark/shared/api/objects.ts';
import type { Profile, ProfileDetail, ProfileList } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useCan } from '../app/permissions.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useDialogs } from '../app/dialog.tsx';
import { useLoad } from '../app/use-load.ts';
import { CodeEditor } from '../expr/code-editor.tsx';
import { ProfileAudiences } from './profile-audiences.tsx';
import { ProfileEvents } from './profile-events.tsx';
import { ProfileImport } from './profile-import.tsx';
import { HelpLink } from '../app/help-link.tsx';

export function Profiles() {
  const dialogs = useDialogs();
  const api = useApi();
  const mayEdit = useCan('profiles.manage');
  const mayErase = useCan('profiles.erase');
  const list = useLoad(() => api.get<ProfileList>('/v1/profiles').then((r) => r.items), [api]);
  const [sel, setSel] = useState<Profile | null>(null);
  const [text, setText] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [q, setQ] = useState('');
  usePageTitle(
    sel
      ? sel.identities[0]
        ? `${sel.identities[0].namespace}: ${sel.identities[0].id}`
        : sel.id
      : null,
    'Profiles',
  );
  const pick = (x: Profile) => {
    setSel(x);
    setText(JSON.stringify(x.attributes, null, 2));
    setMsg(null);
  };
  // The list holds the latest profiles only: an identity is looked up on the server, in each namespace.
  async function lookUp() {
    const id = q.trim();
    if (!id) return;
    setMsg(null);
    try {
      const custom = (await api.get<Answer<typeof objectListAnswer>>('/v1/namespaces')).items.map(
        (n) => n.key,
      );
      const namespaces = [...new Set([...defaultNamespaces.map((n) => n.code), ...custom])];
      for (const ns of namespaces) {
        try {
          pick(
            await api.get<ProfileDetail>(
              `/v1/profiles/${encodeURIComponent(ns)}/${encodeURIComponent(id)}`,
            ),
          );
          return;
        } catch {
          /* not in this namespace */
        }
      }
      setSel(null);
      setMsg({
        ok: false,
        text: `no profile has the identity "${id}" in ${namespaces.join(', ')}`,
      });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  }
  async function save(testProfile?: boolean) {
    if (!sel?.identities[0]) return;
    try {
      const id = sel.identities[0];
      const body = {
        attributes: JSON.parse(text) as unknown,
        ...(testProfile === undefined ? {} : { testProfile }),
      };
      const r = await api.put<Profile>(
        `/v1/profiles/${encodeURIComponent(id.namespace)}/${encodeURIComponent(id.id)}`,
        body,
      );
      setMsg({ ok: true, text: 'Saved' });
      if (r && typeof r === 'object' && 'id' in r) pick(r);
      list.reload();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  }
  async function erase() {
    const id = sel?.identities[0];
    if (
      !id ||
      !(await dialogs.confirm({
        title: `Erase ${id.namespace}: ${id.id}?`,
        body: (
          <p>
            Its attributes, events, messages, memberships and journeys go for good. This cannot be
            undone.
          </p>
        ),
        confirmLabel: 'Erase profile',
        danger: true,
      }))
    )
      return;
    try {
      await api.del(
        `/v1/profiles/${encodeURIComponent(id.namespace)}/${encodeURIComponent(id.id)}`,
      );
      setSel(null);
      setMsg(null);
      list.reload();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  }
  // Opened from quick search (/profiles?namespace=Email&id=…): that profile, looked up on the server.
  const wanted = new URLSearchParams(window.location.search);
  const wantedNs = wanted.get('namespace');
  const wantedId = wanted.get('id');
  useEffect(() => {
    if (!wantedNs || !wantedId) return;
    api
      .get<ProfileDetail>(
        `/v1/profiles/${encodeURIComponent(wantedNs)}/${encodeURIComponent(wantedId)}`,
      )
      .then(pick, (err: unknown) => setMsg({ ok: false, text: errorText(err) }));
  }, [api, wantedNs, wantedId]);
  const rows = (list.data ?? [])
    .filter((x) => !q || x.identities.some((i) => i.id.includes(q)) || x.id.includes(q))
    .sort((a, b) => Number(!!b.testProfile) - Number(!!a.testProfile));
  return (
    <section className="page objects">
      <div className="page-head">
        <h1>Profiles</h1>
        <HelpLink topic="profiles" />
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      <div className="split">
        <div className="object-list">
          <input
            type="search"
            aria-label="Find a profile"
            placeholder="Email or id; Enter looks it up"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void lookUp();
            }}
          />
          {q.trim() !== '' && (
            <button type="button" className="link" onClick={() => void lookUp()}>
              Look up “{q.trim()}” on the server
            </button>
          )}
          <ul>
            {rows.map((x) => (
              <li key={x.id}>
                <a
                  href="#"
                  className={sel?.id === x.id ? 'active' : ''}
                  onClick={(e) => {
                    e.preventDefault();
                    pick(x);
                  }}
                >
                  {x.identities[0]?.id ?? x.id}
                  {x.testProfile && <span className="badge">test</span>}
                </a>
              </li>
            ))}
          </ul>
        </div>
        <div className="object-detail">
          {sel ? (
            <>
              <h2>{sel.identities.map((i) => `${i.namespace}: ${i.id}`).join(', ')}</h2>
              <p className="muted small">
                Profile id {sel.id}
                {sel.testProfile ? ' · test profile' : ''}
              </p>
              <CodeEditor
                label="Profile attributes"
                language="json"
                value={text}
                onChange={setText}
                minHeight={260}
              />
              {msg && (
                <p className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>
                  {msg.text}
                </p>
              )}
              <div className="row">
                {mayEdit && (
                  <button type="button" className="primary" onClick={() => void save()}>
                    Save attributes
                  </button>
                )}
                {mayEdit && (
                  <button type="button" onClick={() => void save(!sel.testProfile)}>
                    {sel.testProfile ? 'Unmark as test profile' : 'Mark as test profile'}
                  </button>
                )}
                {mayErase && (
                  <button type="button" className="danger" onClick={() => void erase()}>
                    Erase profile
                  </button>
                )}
                {!mayEdit && !mayErase && (
                  <p className="muted small">
                    You can view this profile; changing it needs the permission profiles.manage,
                    erasing it profiles.erase.
                  </p>
                )}
              </div>
              {sel.identities[0] && (
                <ProfileAudiences
                  key={`audiences:${sel.id}`}
                  namespace={sel.identities[0].namespace}
                  id={sel.identities[0].id}
                />
              )}
              {sel.identities[0] && (
                <ProfileEvents
                  key={`events:${sel.id}`}
                  namespace={sel.identities[0].namespace}
                  id={sel.identities[0].id}
                />
              )}
            </>
          ) : (
            <>
              {msg && !msg.ok && (
                <p className="error" role="alert">
                  {msg.text}
                </p>
              )}
              <p className="muted">Select a profile.</p>
              {mayEdit && <ProfileImport onImported={list.reload} />}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
