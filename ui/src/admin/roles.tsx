// Roles (/admin/roles, /admin/roles/:name): the built-in roles, read only, and custom roles as
// sets of permissions (grouped as the server groups them, with words instead of ids) and the access
// labels their holders may see.
import { useMemo, useState } from 'react';
import type { RoleView } from '@waymark/shared/api/access.ts';
import { PERMISSION_GROUPS } from '@waymark/shared/access/permissions.ts';
import type { Permission } from '@waymark/shared/access/permissions.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { navigate, useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { useRoles } from './admin-common.tsx';
import { LabelChips, labelsInUse } from './label-chips.tsx';
import { PERMISSION_TEXT, permissionText } from './permission-text.ts';
import { HelpLink } from '../app/help-link.tsx';

const NAME = /^[a-z][a-z0-9-]*$/;
const COPY = 'waymark.role-copy';

function RoleList() {
  const roles = useRoles();
  usePageTitle('Roles');
  const list = roles.data ?? [];
  const builtIn = list.filter((r) => r.builtIn);
  const custom = list.filter((r) => !r.builtIn);
  const row = (r: RoleView) => (
    <tr key={r.name}>
      <td>
        <Link to={`/admin/roles/${encodeURIComponent(r.name)}`}>{r.title}</Link>
        <div className="muted small mono">{r.name}</div>
      </td>
      <td>{r.description}</td>
      <td>
        {r.permissions.length} of {PERMISSION_GROUPS.reduce((n, g) => n + g.permissions.length, 0)}
      </td>
      <td>
        {r.labels.includes('*') ? (
          <span className="muted">All</span>
        ) : r.labels.length === 0 ? (
          <span className="muted">Unlabelled only</span>
        ) : (
          r.labels.map((l) => (
            <span key={l} className="chip label-chip">
              {l}
            </span>
          ))
        )}
      </td>
      <td>{r.holders}</td>
    </tr>
  );
  const head = (
    <thead>
      <tr>
        <th>Role</th>
        <th>What it is for</th>
        <th>Permissions</th>
        <th>Access labels</th>
        <th>Holders</th>
      </tr>
    </thead>
  );
  return (
    <section className="page admin roles">
      <div className="page-head">
        <h1>Roles</h1>
        <HelpLink topic="roles" />
        <button type="button" className="primary" onClick={() => void navigate('/admin/roles/new')}>
          New role
        </button>
      </div>
      {roles.error && (
        <p className="error" role="alert">
          {roles.error}
        </p>
      )}
      <h2 className="section-title">Custom roles</h2>
      <table className="grid list admin-table" aria-label="Custom roles">
        {head}
        <tbody>
          {custom.map(row)}
          {roles.data && custom.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No custom role yet. Make one when a built-in role gives too much or too little.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <h2 className="section-title">Built-in roles</h2>
      <table className="grid list admin-table" aria-label="Built-in roles">
        {head}
        <tbody>{builtIn.map(row)}</tbody>
      </table>
    </section>
  );
}

interface Draft {
  name: string;
  title: string;
  description: string;
  permissions: Permission[];
  labels: string[];
}
const EMPTY: Draft = { name: '', title: '', description: '', permissions: [], labels: [] };
const draftOf = (r: RoleView): Draft => ({
  name: r.name,
  title: r.title,
  description: r.description,
  permissions: [...r.permissions],
  labels: [...r.labels],
});
const same = (a: Draft, b: Draft) =>
  JSON.stringify({ ...a, permissions: [...a.permissions].sort() }) ===
  JSON.stringify({ ...b, permissions: [...b.permissions].sort() });

function PermissionGroups(p: {
  value: readonly Permission[];
  readOnly: boolean;
  onChange(v: Permission[]): void;
}) {
  const has = new Set(p.value);
  const set = (perm: Permission, on: boolean) =>
    p.onChange(
      on ? [...p.value.filter((x) => x !== perm), perm] : p.value.filter((x) => x !== perm),
    );
  return (
    <div className="permission-groups">
      {PERMISSION_GROUPS.map((g) => {
        const n = g.permissions.filter((x) => has.has(x)).length;
        return (
          <fieldset key={g.title} className="permission-group" disabled={p.readOnly}>
            <legend>
              {g.title}{' '}
              <span className="muted small">
                {n} of {g.permissions.length}
              </span>
            </legend>
            {g.permissions.map((perm) =>
              p.readOnly ? (
                <div
                  key={perm}
                  className={`perm-read ${has.has(perm) ? 'granted' : 'not-granted'}`}
                  title={perm}
                  aria-label={`${permissionText(perm)}: ${has.has(perm) ? 'granted' : 'not granted'}`}
                >
                  <span className="perm-mark" aria-hidden="true">
                    {has.has(perm) ? '✓' : '–'}
                  </span>
                  <span>
                    {permissionText(perm)}
                    {PERMISSION_TEXT[perm].help && (
                      <span className="muted small perm-help">{PERMISSION_TEXT[perm].help}</span>
                    )}
                  </span>
                </div>
              ) : (
                <label key={perm} className="check" title={perm}>
                  <input
                    type="checkbox"
                    checked={has.has(perm)}
                    onChange={(e) => set(perm, e.target.checked)}
                  />
                  <span>
                    {permissionText(perm)}
                    {PERMISSION_TEXT[perm].help && (
                      <span className="muted small perm-help">{PERMISSION_TEXT[perm].help}</span>
                    )}
                  </span>
                </label>
              ),
            )}
            {!p.readOnly && (
              <button
                type="button"
                className="link small"
                onClick={() =>
                  p.onChange(
                    n === g.permissions.length
                      ? p.value.filter((x) => !g.permissions.includes(x))
                      : [...new Set([...p.value, ...g.permissions])],
                  )
                }
              >
                {n === g.permissions.length ? 'Clear' : 'Select all'}
              </button>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}

function RoleEditor(p: { name: string; seed?: Draft }) {
  const api = useApi();
  const dialogs = useDialogs();
  const isNew = p.name === 'new';
  const role = useLoad(
    () =>
      isNew ? Promise.resolve(null) : api.get<RoleView>(`/v1/roles/${encodeURIComponent(p.name)}`),
    [api, p.name],
  );
  const inUse = useLoad(
    () =>
      api
        .get<unknown>('/v1/labels')
        .then(labelsInUse)
        .catch(() => [] as string[]),
    [api],
  );
  const r = role.data;
  const base = useMemo(() => (r ? draftOf(r) : EMPTY), [r]);
  const [edited, setEdited] = useState<Draft | null>(p.seed ?? null);
  const d = edited ?? base;
  const readOnly = !!r?.builtIn;
  const dirty = !readOnly && edited !== null && !same(edited, base);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(isNew ? 'New role' : r?.title, 'Roles');
  useLeaveGuard(() => (dirty ? `The role ${d.title || d.name || ''} has unsaved changes.` : null));
  const set = (patch: Partial<Draft>) => setEdited({ ...d, ...patch });
  const nameProblem =
    isNew && d.name && !NAME.test(d.name)
      ? 'Lowercase letters, digits and "-", starting with a letter'
      : null;

  const save = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await api.put<RoleView>(`/v1/roles/${encodeURIComponent(d.name)}`, {
        name: d.name,
        title: d.title.trim() || d.name,
        description: d.description.trim(),
        permissions: d.permissions,
        labels: d.labels,
      });
      setEdited(null);
      if (isNew) {
        await navigate(`/admin/roles/${encodeURIComponent(saved.name ?? d.name)}`, {
          force: true,
          replace: true,
        });
        return;
      }
      setNotice('Saved. Holders have the new permissions from their next request.');
      role.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!r) return;
    if (
      !(await dialogs.confirm({
        title: `Delete the role ${r.title}?`,
        body: <p>A role held by someone cannot be deleted: take it from them first.</p>,
        confirmLabel: 'Delete role',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    setError(null);
    try {
      await api.del(`/v1/roles/${encodeURIComponent(r.name)}`);
      setEdited(null);
      await navigate('/admin/roles', { force: true });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="page admin role-editor">
      <p className="crumbs">
        <Link to="/admin/roles">Roles</Link>
      </p>
      <div className="page-head">
        <h1>{isNew ? 'New role' : (r?.title ?? p.name)}</h1>
        {readOnly && <span className="badge">Built-in: read only</span>}
        {r && (
          <span className="muted">
            {r.holders === 0
              ? 'Nobody holds it'
              : `${r.holders} ${r.holders === 1 ? 'holder' : 'holders'}`}
          </span>
        )}
      </div>
      {(role.error ?? error) && (
        <p className="error" role="alert">
          {role.error ?? error}
        </p>
      )}
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      {(isNew || r) && (
        <form
          aria-label="Role"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {readOnly && (
            <p className="muted">
              Built-in roles cannot be changed. To start from this one,{' '}
              <button
                type="button"
                className="link inline-link"
                onClick={() => {
                  sessionStorage.setItem(
                    COPY,
                    JSON.stringify({ ...d, name: `${d.name}-copy`, title: `${d.title} (copy)` }),
                  );
                  void navigate('/admin/roles/new');
                }}
              >
                make a copy
              </button>
              .
            </p>
          )}
          <div className="card role-fields">
            <div className="two-fields">
              <label>
                Name
                <input
                  value={d.name}
                  readOnly={!isNew}
                  onChange={(e) => set({ name: e.target.value.trim() })}
                  aria-invalid={nameProblem ? true : undefined}
                  placeholder="agency-viewer"
                  className="mono"
                />
                {nameProblem ? (
                  <span className="field-error">{nameProblem}</span>
                ) : (
                  isNew && (
                    <span className="muted small">
                      Used in keys and the CLI; cannot change later.
                    </span>
                  )
                )}
              </label>
              <label>
                Title
                <input
                  value={d.title}
                  readOnly={readOnly}
                  onChange={(e) => set({ title: e.target.value })}
                  placeholder="Agency viewer"
                />
              </label>
            </div>
            <label>
              Description
              <textarea
                rows={2}
                value={d.description}
                readOnly={readOnly}
                onChange={(e) => set({ description: e.target.value })}
              />
            </label>
          </div>
          <div className="card">
            <h2>
              Permissions{' '}
              <span className="muted small">
                {d.permissions.length} chosen · granted in each sandbox the role is given for
              </span>
            </h2>
            <PermissionGroups
              value={d.permissions}
              readOnly={readOnly}
              onChange={(v) => set({ permissions: v })}
            />
          </div>
          <div className="card">
            <h2>Access labels</h2>
            <p className="muted small">
              Objects carrying labels are visible only to roles holding every one of their labels.
              Unlabelled objects are visible to all.
            </p>
            <LabelChips
              value={d.labels}
              known={inUse.data ?? []}
              readOnly={readOnly}
              onChange={(v) => set({ labels: v })}
            />
          </div>
          {!readOnly && (
            <div className="row form-actions sticky-actions">
              <button
                type="submit"
                className="primary"
                disabled={busy || !d.name || !!nameProblem || (!dirty && !isNew)}
              >
                {isNew ? 'Create role' : 'Save'}
              </button>
              {dirty && !isNew && (
                <button type="button" onClick={() => setEdited(null)}>
                  Discard changes
                </button>
              )}
              {dirty && <span className="badge unsaved">Unsaved</span>}
              <span className="spacer" />
              {r && (
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void remove()}
                  title={
                    r.holders > 0
                      ? `Held by ${r.holders}: the server refuses while it is held`
                      : undefined
                  }
                >
                  Delete role
                </button>
              )}
            </div>
          )}
        </form>
      )}
    </section>
  );
}

/** A new role, or a copy of a built-in one started from its page ("make a copy"). */
function NewRole() {
  const [seed] = useState(() => {
    const s = sessionStorage.getItem(COPY);
    sessionStorage.removeItem(COPY);
    try {
      return s ? (JSON.parse(s) as Draft) : undefined;
    } catch {
      return undefined;
    }
  });
  return <RoleEditor name="new" seed={seed} />;
}

export function RolesPage(props: { selected?: string }) {
  if (props.selected === 'new') return <NewRole />;
  return props.selected ? <RoleEditor key={props.selected} name={props.selected} /> : <RoleList />;
}
