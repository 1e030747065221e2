// API keys (/admin/api-keys): who holds which key, with what role in which sandboxes, and when it
// was last used. A key is shown once, when created or rotated; afterwards only its prefix.
import { useState } from 'react';
import type {
  apiKeyCreateBody,
  ApiKeyCreated,
  apiKeyRotateBody,
  ApiKeyView,
  Body,
} from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import {
  ActorText,
  CopyOnce,
  FormDialog,
  SandboxChecks,
  day,
  itemsOf,
  roleTitle,
  sandboxesText,
  useRoles,
  useSandboxList,
  when,
} from './admin-common.tsx';
import { HelpLink } from '../app/help-link.tsx';

type KeyStatus = 'active' | 'expired' | 'revoked' | 'rotating';

export function keyStatus(k: ApiKeyView, now = Date.now()): KeyStatus {
  if (k.revokedAt && Date.parse(k.revokedAt) <= now) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  if (k.rotatedTo) return 'rotating';
  return 'active';
}
const STATUS_TEXT: Record<KeyStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  rotating: 'Rotating',
};

const OVERLAPS = [
  { label: '1 hour', seconds: 3600 },
  { label: '24 hours', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
];

function CreateKey(p: { onClose(): void; onCreated(k: ApiKeyCreated): void }) {
  const api = useApi();
  const roles = useRoles();
  const sandboxes = useSandboxList();
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [scope, setScope] = useState<string[]>(['prod']);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Body<typeof apiKeyCreateBody> = {
        name: name.trim(),
        role,
        sandboxes: scope,
        ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      };
      p.onCreated(await api.post<ApiKeyCreated>('/v1/api-keys', body));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog title="Create an API key" onClose={p.onClose}>
      <form
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          Name
          <input
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Website events pipeline"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {(roles.data ?? []).map((r) => (
              <option key={r.name} value={r.name}>
                {r.title}
              </option>
            ))}
            {!roles.data && <option value={role}>{role}</option>}
          </select>
        </label>
        <p className="muted small role-help">
          {roles.data?.find((r) => r.name === role)?.description}
        </p>
        <SandboxChecks sandboxes={sandboxes.data ?? []} value={scope} onChange={setScope} />
        <label>
          Expires (optional)
          <input
            type="date"
            min={today}
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={busy || !name.trim() || scope.length === 0}
          >
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}

function ShownOnce(p: { created: ApiKeyCreated; rotated: boolean; onClose(): void }) {
  return (
    <FormDialog
      title={p.rotated ? `New key for ${p.created.name}` : `Key ${p.created.name} created`}
      onClose={p.onClose}
    >
      <CopyOnce
        label="API key"
        value={p.created.key}
        note="Copy it now: you will not see it again. Waymark keeps only a fingerprint of it."
      />
      {p.rotated && (
        <p className="small">
          The previous key keeps working until the overlap ends; replace it wherever it is used
          before then.
        </p>
      )}
      <div className="row dialog-actions">
        <button type="button" className="primary" onClick={p.onClose}>
          Done
        </button>
      </div>
    </FormDialog>
  );
}

export function ApiKeysPage(_props: { selected?: string }) {
  const api = useApi();
  const dialogs = useDialogs();
  const roles = useRoles();
  const keys = useLoad(
    () => api.get<unknown>('/v1/api-keys').then((r) => itemsOf<ApiKeyView>(r)),
    [api],
  );
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ key: ApiKeyCreated; rotated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  usePageTitle('API keys');
  const list = (keys.data ?? []).slice().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const visible = showRevoked ? list : list.filter((k) => keyStatus(k) !== 'revoked');
  const hidden = list.length - visible.length;

  const revoke = async (k: ApiKeyView) => {
    const yes = await dialogs.confirm({
      title: `Revoke ${k.name}?`,
      body: <p>Every request with this key is refused from now on. This cannot be undone.</p>,
      confirmLabel: 'Revoke key',
      danger: true,
    });
    if (!yes) return;
    setError(null);
    try {
      await api.del(`/v1/api-keys/${encodeURIComponent(k.id)}`);
      keys.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const rotate = async (k: ApiKeyView) => {
    const overlap = await dialogs.choose({
      title: `Rotate ${k.name}?`,
      body: (
        <p>
          A new key with the same role and sandboxes is created. How long should{' '}
          <code>{k.prefix}…</code> keep working, while you replace it?
        </p>
      ),
      actions: OVERLAPS.map((o) => ({
        label: o.label,
        value: o.seconds,
        tone: o.seconds === 86400 ? ('primary' as const) : ('plain' as const),
      })),
    });
    if (overlap === null) return;
    setError(null);
    try {
      const created = await api.post<ApiKeyCreated>(
        `/v1/api-keys/${encodeURIComponent(k.id)}/rotate`,
        { overlapSeconds: overlap } satisfies Body<typeof apiKeyRotateBody>,
      );
      setShown({ key: created, rotated: true });
      keys.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section className="page admin api-keys">
      <div className="page-head">
        <h1>API keys</h1>
        <HelpLink topic="users" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create key
        </button>
      </div>
      <p className="muted page-intro">
        Keys let programs (event pipelines, deployments, scripts) call the API with one role in
        chosen sandboxes. Revoking is immediate.
      </p>
      {(keys.error ?? error) && (
        <p className="error" role="alert">
          {keys.error ?? error}
        </p>
      )}
      <table className="grid list admin-table" aria-label="API keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Role</th>
            <th>Sandboxes</th>
            <th>Created</th>
            <th>Expires</th>
            <th>Last used</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {visible.map((k) => {
            const s = keyStatus(k);
            return (
              <tr key={k.id} className={`key-${s}`}>
                <td>
                  <strong>{k.name}</strong>
                </td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{roleTitle(roles.data, k.role)}</td>
                <td>{sandboxesText(k.sandboxes)}</td>
                <td>
                  <span className="stack">
                    {day(k.createdAt)}
                    <span className="muted small">
                      by <ActorText actor={k.createdBy} />
                    </span>
                  </span>
                </td>
                <td>
                  {s === 'rotating' && k.revokedAt ? (
                    <span title="The rotated key stops working then">{when(k.revokedAt)}</span>
                  ) : (
                    day(k.expiresAt, 'Never')
                  )}
                </td>
                <td>{when(k.lastUsedAt, 'Never')}</td>
                <td>
                  <span className={`badge key-status ${s}`}>{STATUS_TEXT[s]}</span>
                </td>
                <td>
                  <div className="row-actions">
                    {s === 'active' && (
                      <button type="button" onClick={() => void rotate(k)}>
                        Rotate
                      </button>
                    )}
                    {(s === 'active' || s === 'rotating') && (
                      <button type="button" className="danger" onClick={() => void revoke(k)}>
                        Revoke
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
          {keys.data && visible.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No API key yet. The operator key (WAYMARK_ADMIN_KEY) is not listed here.
              </td>
            </tr>
          )}
          {!keys.data && keys.loading && (
            <tr>
              <td colSpan={9} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {(hidden > 0 || showRevoked) && (
        <label className="check">
          <input
            type="checkbox"
            checked={showRevoked}
            onChange={(e) => setShowRevoked(e.target.checked)}
          />{' '}
          Show revoked keys ({list.filter((k) => keyStatus(k) === 'revoked').length})
        </label>
      )}
      {creating && (
        <CreateKey
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setShown({ key: k, rotated: false });
            keys.reload();
          }}
        />
      )}
      {shown && (
        <ShownOnce created={shown.key} rotated={shown.rotated} onClose={() => setShown(null)} />
      )}
    </section>
  );
}
