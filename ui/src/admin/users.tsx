// Users (/admin/users, /admin/users/:id): who may sign in, with which roles in which sandboxes.
// People are invited (an email with a one-time link; the link itself when the server has no email
// channel), then changed, disabled, signed out everywhere or deleted on their page.
import { useState } from 'react';
import type {
  Body,
  Invitation,
  RoleAssignment,
  userInviteBody,
  UserView,
} from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { navigate, useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { useMe } from '../app/permissions.tsx';
import {
  AssignmentsEditor,
  CopyOnce,
  FormDialog,
  assignmentsText,
  itemsOf,
  useRoles,
  useSandboxList,
  when,
} from './admin-common.tsx';
import { HelpLink } from '../app/help-link.tsx';

const STATUS_TEXT: Record<UserView['status'], string> = {
  invited: 'Invited',
  active: 'Active',
  disabled: 'Disabled',
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function UserStatus(p: { status: UserView['status'] }) {
  return <span className={`badge user-status ${p.status}`}>{STATUS_TEXT[p.status]}</span>;
}

function InviteUser(p: { onClose(): void; onInvited(): void }) {
  const api = useApi();
  const roles = useRoles();
  const sandboxes = useSandboxList();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [assignments, setAssignments] = useState<RoleAssignment[]>([
    { role: 'viewer', sandboxes: ['prod'] },
  ]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ email: string; acceptUrl?: string } | null>(null);
  const badEmail = email.trim() !== '' && !EMAIL.test(email.trim());
  const invite = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Body<typeof userInviteBody> = {
        email: email.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        roles: assignments,
      };
      const r = await api.post<Invitation>('/v1/users/invitations', body);
      setDone({ email: email.trim(), ...(r.emailed ? {} : { acceptUrl: r.acceptUrl }) });
      p.onInvited();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <FormDialog title="Invitation sent" onClose={p.onClose}>
        {done.acceptUrl ? (
          <>
            <p>
              This server has no email channel, so nothing was sent. Give{' '}
              <strong>{done.email}</strong> this link to choose a password:
            </p>
            <CopyOnce
              label="Invitation link"
              value={done.acceptUrl}
              note="The link works once. Send it privately: whoever opens it becomes this user."
            />
          </>
        ) : (
          <p>
            <strong>{done.email}</strong> gets an email with a link to choose a password.
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
  return (
    <FormDialog title="Invite a user" onClose={p.onClose} wide>
      <form
        aria-label="Invite a user"
        onSubmit={(e) => {
          e.preventDefault();
          void invite();
        }}
      >
        <div className="two-fields">
          <label>
            Email
            <input
              type="email"
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={badEmail || undefined}
              placeholder="name@example.com"
            />
            {badEmail && <span className="field-error">Not an email address</span>}
          </label>
          <label>
            Name (optional)
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        </div>
        <AssignmentsEditor
          roles={roles.data ?? []}
          sandboxes={sandboxes.data ?? []}
          value={assignments}
          onChange={setAssignments}
        />
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
            disabled={
              busy || !EMAIL.test(email.trim()) || assignments.some((a) => a.sandboxes.length === 0)
            }
          >
            {busy ? 'Inviting…' : 'Send invitation'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}

function UserList() {
  const api = useApi();
  const roles = useRoles();
  const users = useLoad(
    () => api.get<unknown>('/v1/users').then((r) => itemsOf<UserView>(r)),
    [api],
  );
  const [inviting, setInviting] = useState(false);
  const [filter, setFilter] = useState('');
  usePageTitle('Users');
  const f = filter.trim().toLowerCase();
  const list = (users.data ?? [])
    .filter((u) => !f || u.email.toLowerCase().includes(f) || u.name.toLowerCase().includes(f))
    .sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
  return (
    <section className="page admin users">
      <div className="page-head">
        <h1>Users</h1>
        <HelpLink topic="users" />
        <button type="button" className="primary" onClick={() => setInviting(true)}>
          Invite user
        </button>
      </div>
      <div className="filters">
        <input
          type="search"
          aria-label="Find a user"
          placeholder="Find by name or email"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        {users.data && (
          <span className="muted count">
            {list.length} of {users.data.length}
          </span>
        )}
      </div>
      {users.error && (
        <p className="error" role="alert">
          {users.error}
        </p>
      )}
      <table className="grid list admin-table" aria-label="Users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Status</th>
            <th>Roles</th>
            <th>Last sign-in</th>
          </tr>
        </thead>
        <tbody>
          {list.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${encodeURIComponent(u.id)}`}>{u.name || u.email}</Link>
                {u.sso && <span className="badge">Single sign-on</span>}
              </td>
              <td>{u.email}</td>
              <td>
                <UserStatus status={u.status} />
              </td>
              <td>{assignmentsText(roles.data, u.roles)}</td>
              <td>{when(u.lastSignInAt, u.status === 'invited' ? 'Not yet' : 'Never')}</td>
            </tr>
          ))}
          {users.data && list.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                {f ? 'Nobody matches.' : 'No user yet: invite the first one.'}
              </td>
            </tr>
          )}
          {!users.data && users.loading && (
            <tr>
              <td colSpan={5} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {inviting && <InviteUser onClose={() => setInviting(false)} onInvited={users.reload} />}
    </section>
  );
}

const sameRoles = (a: readonly RoleAssignment[], b: readonly RoleAssignment[]) =>
  JSON.stringify(a) === JSON.stringify(b);

function UserDetail(p: { id: string }) {
  const api = useApi();
  const dialogs = useDialogs();
  const me = useMe();
  const roles = useRoles();
  const sandboxes = useSandboxList();
  const user = useLoad(
    () => api.get<UserView>(`/v1/users/${encodeURIComponent(p.id)}`),
    [api, p.id],
  );
  const u = user.data;
  const [edited, setEdited] = useState<RoleAssignment[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(u?.name || u?.email, 'Users');
  const assignments = edited ?? u?.roles ?? [];
  const dirty = !!u && edited !== null && !sameRoles(edited, u.roles);
  useLeaveGuard(() =>
    dirty ? `The roles of ${u?.email ?? 'this user'} are changed but not saved.` : null,
  );
  const self = me?.actor.kind === 'user' && me.actor.id === p.id;

  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await what();
      setNotice(done);
      user.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const path = `/v1/users/${encodeURIComponent(p.id)}`;
  const saveRoles = () =>
    act(async () => {
      await api.request('PATCH', path, { roles: assignments });
      setEdited(null);
    }, 'Roles saved.');
  const setStatus = async (status: 'active' | 'disabled') => {
    if (!u) return;
    if (
      status === 'disabled' &&
      !(await dialogs.confirm({
        title: `Disable ${u.email}?`,
        body: (
          <p>
            They are signed out now and cannot sign in until enabled again. Their roles are kept.
          </p>
        ),
        confirmLabel: 'Disable',
        danger: true,
      }))
    )
      return;
    await act(
      () => api.request('PATCH', path, { status }),
      status === 'disabled'
        ? 'Disabled: signed out and cannot sign in.'
        : 'Enabled: they can sign in again.',
    );
  };
  const signOut = async () => {
    if (
      !u ||
      !(await dialogs.confirm({
        title: `Sign ${u.email} out everywhere?`,
        body: <p>Every session of theirs ends now, on every browser. They can sign in again.</p>,
        confirmLabel: 'Sign out everywhere',
      }))
    )
      return;
    await act(() => api.post(`${path}/sign-out`), 'Every session ended.');
  };
  const remove = async () => {
    if (
      !u ||
      !(await dialogs.confirm({
        title: `Delete ${u.email}?`,
        body: (
          <p>
            They cannot sign in any more. What they did stays in the audit log under their email.
          </p>
        ),
        confirmLabel: 'Delete user',
        danger: true,
      }))
    )
      return;
    setBusy(true);
    setError(null);
    try {
      await api.del(path);
      setEdited(null);
      await navigate('/admin/users', { force: true });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="page admin user-detail">
      <p className="crumbs">
        <Link to="/admin/users">Users</Link>
      </p>
      <div className="page-head">
        <h1>{u ? u.name || u.email : 'User'}</h1>
        {u && <UserStatus status={u.status} />}
      </div>
      {(user.error ?? error) && (
        <p className="error" role="alert">
          {user.error ?? error}
        </p>
      )}
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      {u && (
        <div className="admin-columns">
          <div className="card">
            <h2>Roles</h2>
            {u.sso && (
              <p className="muted small">
                Signed in through single sign-on: these roles follow the identity provider's groups
                at each sign-in.
              </p>
            )}
            {self && (
              <p className="muted small">
                This is you: you cannot give yourself more than you hold.
              </p>
            )}
            <AssignmentsEditor
              roles={roles.data ?? []}
              sandboxes={sandboxes.data ?? []}
              value={assignments}
              onChange={setEdited}
            />
            <div className="row form-actions">
              <button
                type="button"
                className="primary"
                disabled={!dirty || busy || assignments.some((a) => a.sandboxes.length === 0)}
                onClick={() => void saveRoles()}
              >
                Save roles
              </button>
              {dirty && (
                <button type="button" onClick={() => setEdited(null)}>
                  Discard changes
                </button>
              )}
              {dirty && <span className="badge unsaved">Unsaved</span>}
            </div>
          </div>
          <div className="card">
            <h2>Account</h2>
            <dl className="facts">
              <dt>Email</dt>
              <dd>{u.email}</dd>
              <dt>Created</dt>
              <dd>{when(u.createdAt)}</dd>
              <dt>Last sign-in</dt>
              <dd>
                {when(
                  u.lastSignInAt,
                  u.status === 'invited' ? 'Has not accepted the invitation yet' : 'Never',
                )}
              </dd>
            </dl>
            <div className="row">
              {u.status === 'invited' && (
                <p className="muted small">
                  The invitation is pending: delete the user to withdraw it.
                </p>
              )}
              {u.status === 'disabled' && (
                <button type="button" disabled={busy} onClick={() => void setStatus('active')}>
                  Enable
                </button>
              )}
              {u.status === 'active' && (
                <button
                  type="button"
                  disabled={busy || self}
                  title={self ? 'You cannot disable yourself' : undefined}
                  onClick={() => void setStatus('disabled')}
                >
                  Disable
                </button>
              )}
              {u.status === 'active' && (
                <button type="button" disabled={busy} onClick={() => void signOut()}>
                  Sign out everywhere
                </button>
              )}
            </div>
            <div className="danger-zone">
              <h3>Delete</h3>
              <button
                type="button"
                className="danger"
                disabled={busy || self}
                title={self ? 'You cannot delete yourself' : undefined}
                onClick={() => void remove()}
              >
                Delete user
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

export function UsersPage(props: { selected?: string }) {
  return props.selected ? <UserDetail key={props.selected} id={props.selected} /> : <UserList />;
}
