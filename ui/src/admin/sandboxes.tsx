// Sandboxes (/admin/sandboxes, /admin/sandboxes/:name): the list, a new one (its name checked as
// it is typed), and each one's settings page: journey approvals and who approves, the approvers of
// its campaign approval policies, retention, the hosts its actions and channels may connect to, and
// the danger zone (reset, delete) behind a typed confirmation.
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { assistantInfoSchema } from '@waymark/shared/api/assistant.ts';
import type {
  AllowedHosts,
  Body,
  sandboxCreateBody,
  SandboxSettings,
  sandboxSettingsBody,
  SandboxView,
} from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { navigate, useLeaveGuard } from '../app/router.ts';
import { useApi, useSession } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { ActorText, FormDialog, day, useSandboxList } from './admin-common.tsx';
import {
  approversOf,
  approversText,
  namesSomeone,
  rolesProblem,
  type ApproversText,
} from './approvers-text.ts';
import { HelpLink } from '../app/help-link.tsx';

const NAME = /^[a-z][a-z0-9-]*$/;
const TYPE_TEXT: Record<SandboxView['type'], string> = {
  production: 'Production',
  development: 'Development',
};

export function sandboxNameProblem(name: string, taken: readonly string[]): string | null {
  if (!name) return null;
  if (!/^[a-z]/.test(name)) return 'Starts with a lowercase letter';
  if (!NAME.test(name)) return 'Only lowercase letters, digits and "-"';
  if (name.length > 63) return 'At most 63 characters';
  if (taken.includes(name)) return 'A sandbox has this name already';
  return null;
}

function CreateSandbox(p: {
  taken: readonly string[];
  onClose(): void;
  onCreated(name: string): void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [type, setType] = useState<SandboxView['type']>('development');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = sandboxNameProblem(name, p.taken);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/v1/sandboxes', {
        name,
        ...(title.trim() ? { title: title.trim() } : {}),
        type,
      } satisfies Body<typeof sandboxCreateBody>);
      p.onCreated(name);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog title="Create a sandbox" onClose={p.onClose}>
      <form
        aria-label="Create a sandbox"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          Name
          <input
            autoFocus
            className="mono"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={problem ? true : undefined}
            placeholder="dev-emea"
          />
          {problem ? (
            <span className="field-error" role="alert">
              {problem}
            </span>
          ) : (
            <span className="muted small">
              Lowercase letters, digits and "-". Sent as x-sandbox-name; cannot change later.
            </span>
          )}
        </label>
        <label>
          Title (optional)
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Development EMEA"
          />
        </label>
        <fieldset className="type-choice">
          <legend>Type</legend>
          <label className="check">
            <input
              type="radio"
              name="type"
              checked={type === 'development'}
              onChange={() => setType('development')}
            />{' '}
            Development <span className="muted small">for building and trying things</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="type"
              checked={type === 'production'}
              onChange={() => setType('production')}
            />{' '}
            Production <span className="muted small">live customers; guarded against resets</span>
          </label>
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name || !!problem}>
            {busy ? 'Creating…' : 'Create sandbox'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}

function SandboxList() {
  const list = useSandboxList();
  const { sandbox: current } = useSession();
  const [creating, setCreating] = useState(false);
  usePageTitle('Sandboxes');
  return (
    <section className="page admin sandboxes">
      <div className="page-head">
        <h1>Sandboxes</h1>
        <HelpLink topic="sandboxes" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create sandbox
        </button>
      </div>
      <p className="muted page-intro">
        Each sandbox has its own journeys, content, profiles and settings. People and keys are given
        roles per sandbox.
      </p>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      <table className="grid list admin-table" aria-label="Sandboxes">
        <thead>
          <tr>
            <th>Name</th>
            <th>Title</th>
            <th>Type</th>
            <th>Approvals</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((s) => (
            <tr key={s.name}>
              <td>
                <Link to={`/admin/sandboxes/${encodeURIComponent(s.name)}`}>
                  <span className="mono">{s.name}</span>
                </Link>
                {s.name === current && <span className="badge">You are here</span>}
              </td>
              <td>{s.title}</td>
              <td>
                <span className={`badge sandbox-type ${s.type}`}>{TYPE_TEXT[s.type]}</span>
              </td>
              <td>
                {s.settings?.approvals.journeyPublish ? (
                  'Journey publishing'
                ) : (
                  <span className="muted">Off</span>
                )}
              </td>
              <td>
                <span className="stack">
                  {day(s.createdAt)}
                  <span className="muted small">
                    by <ActorText actor={s.createdBy} />
                  </span>
                </span>
              </td>
            </tr>
          ))}
          {!list.data && list.loading && (
            <tr>
              <td colSpan={5} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {creating && (
        <CreateSandbox
          taken={(list.data ?? []).map((s) => s.name)}
          onClose={() => setCreating(false)}
          onCreated={(n) => {
            setCreating(false);
            void navigate(`/admin/sandboxes/${encodeURIComponent(n)}`);
          }}
        />
      )}
    </section>
  );
}

function AllowedHosts(p: { sandbox: string }) {
  const api = useApi();
  const dialogs = useDialogs();
  const on = { 'x-sandbox-name': p.sandbox };
  const hosts = useLoad(
    () => api.request<AllowedHosts>('GET', '/v1/allowed-hosts', undefined, on),
    [api, p.sandbox],
  );
  const [host, setHost] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      await api.request('POST', '/v1/allowed-hosts', { host: host.trim() }, on);
      setHost('');
      hosts.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const remove = async (h: string) => {
    if (
      !(await dialogs.confirm({
        title: `Remove ${h}?`,
        body: (
          <p>
            Custom actions and channels of <strong>{p.sandbox}</strong> can no longer connect to it.
          </p>
        ),
        confirmLabel: 'Remove host',
        danger: true,
      }))
    )
      return;
    setError(null);
    try {
      await api.request('DELETE', `/v1/allowed-hosts/${encodeURIComponent(h)}`, undefined, on);
      hosts.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="card" aria-label="Allowed hosts" role="region">
      <h2>Allowed hosts</h2>
      <p className="muted small">
        Where this sandbox's custom actions and channels may connect: a host (api.example.com), with
        a port (api.example.com:8443) or a wildcard (*.example.com).
      </p>
      {(hosts.error ?? error) && (
        <p className="error" role="alert">
          {hosts.error ?? error}
        </p>
      )}
      <ul className="host-list">
        {(hosts.data?.sandbox ?? []).map((h) => (
          <li key={h}>
            <code>{h}</code>
            <button
              type="button"
              className="link"
              aria-label={`Remove ${h}`}
              onClick={() => void remove(h)}
            >
              Remove
            </button>
          </li>
        ))}
        {hosts.data && hosts.data.sandbox.length === 0 && (
          <li className="muted">None of its own.</li>
        )}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input
          aria-label="Host to allow"
          placeholder="api.example.com"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          className="host-input"
        />
        <button type="submit" disabled={!host.trim()}>
          Allow host
        </button>
      </form>
      {hosts.data && hosts.data.operator.length > 0 && (
        <p className="muted small">
          Also allowed for every sandbox by the server's operator:{' '}
          {[...new Set(hosts.data.operator)].map((h) => (
            <code key={h}>{h} </code>
          ))}
        </p>
      )}
    </div>
  );
}

/** The retention periods besides experience events (days as typed; empty: kept). */
type OtherRetention = 'messages' | 'deadLetters' | 'audit';
const OTHER_RETENTION: readonly { key: OtherRetention; label: string; help: string }[] = [
  {
    key: 'messages',
    label: 'Keep the delivery log for (days)',
    help: 'Older messages leave the delivery log and the profile history (reports keep their counts). Empty: kept.',
  },
  {
    key: 'deadLetters',
    label: 'Keep dead letters for (days)',
    help: 'Older refused events are purged whether replayed or not. Empty: kept.',
  },
  {
    key: 'audit',
    label: "Keep this sandbox's audit entries for (days)",
    help: "The server's own audit period (WAYMARK_AUDIT_RETENTION_DAYS) applies too. Empty: kept.",
  },
];
const daysText = (n: number | null): string => (n === null ? '' : String(n));
const daysOf = (t: string): number | null => (t === '' ? null : Number(t));
const daysProblem = (t: string): string | null =>
  t !== '' && !(/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 3650)
    ? 'A whole number of days from 1 to 3650 (empty: kept)'
    : null;

interface SettingsDraft {
  approvals: boolean;
  assistantModel: boolean;
  assistantPersonalData: boolean;
  retention: string;
  otherRetention: Readonly<Record<OtherRetention, string>>;
  journeyApprovers: ApproversText;
  /** The approvers of each campaign approval policy, in the settings' order. */
  policyApprovers: readonly ApproversText[];
}
const draftOf = (s: SandboxSettings): SettingsDraft => ({
  approvals: s.approvals.journeyPublish,
  assistantModel: s.assistant.model,
  assistantPersonalData: s.assistant.personalData,
  retention: s.retentionDays === null ? '' : String(s.retentionDays),
  otherRetention: {
    messages: daysText(s.retention.messages),
    deadLetters: daysText(s.retention.deadLetters),
    audit: daysText(s.retention.audit),
  },
  journeyApprovers: approversText(s.approvals.journeyApprovers),
  policyApprovers: s.approvals.campaigns.map((p) => approversText(p.approvers)),
});
const EMPTY_DRAFT: SettingsDraft = {
  approvals: false,
  assistantModel: true,
  assistantPersonalData: false,
  retention: '',
  otherRetention: { messages: '', deadLetters: '', audit: '' },
  journeyApprovers: approversText(undefined),
  policyApprovers: [],
};

/** What the draft saves: every other part of the settings kept as it is. */
function settingsOf(s: SandboxSettings, d: SettingsDraft): SandboxSettings {
  return {
    retentionDays: d.retention === '' ? null : Number(d.retention),
    retention: {
      messages: daysOf(d.otherRetention.messages),
      deadLetters: daysOf(d.otherRetention.deadLetters),
      audit: daysOf(d.otherRetention.audit),
    },
    approvals: {
      journeyPublish: d.approvals,
      journeyApprovers: approversOf(d.journeyApprovers),
      campaigns: s.approvals.campaigns.map((p, i) => {
        const t = d.policyApprovers[i];
        const { approvers: _old, ...rest } = p;
        return t && namesSomeone(t) ? { ...rest, approvers: approversOf(t) } : rest;
      }),
    },
    assistant: { model: d.assistantModel, personalData: d.assistantPersonalData },
  };
}

/** Two fields: the users (ids or emails) and the roles who decide. */
function ApproverFields(p: {
  label: string;
  value: ApproversText;
  onChange: (v: ApproversText) => void;
}) {
  const problem = rolesProblem(p.value);
  return (
    <fieldset className="approver-fields" aria-label={p.label}>
      <legend>{p.label}</legend>
      <label>
        Users
        <input
          value={p.value.users}
          placeholder="ben@luma.example, …"
          onChange={(e) => p.onChange({ ...p.value, users: e.target.value })}
        />
      </label>
      <label>
        Roles
        <input
          value={p.value.roles}
          placeholder="brand-reviewer, …"
          aria-invalid={problem ? true : undefined}
          onChange={(e) => p.onChange({ ...p.value, roles: e.target.value })}
        />
        {problem && <span className="field-error">{problem}</span>}
      </label>
      <span className="muted small block">
        {namesSomeone(p.value)
          ? 'Only these users, and holders of these roles, decide.'
          : 'Nobody named: anyone with the Publish permission decides.'}
      </span>
    </fieldset>
  );
}

function SandboxDetail(p: { name: string }) {
  const api = useApi();
  const dialogs = useDialogs();
  const session = useSession();
  const sb = useLoad(
    () => api.get<SandboxView>(`/v1/sandboxes/${encodeURIComponent(p.name)}`),
    [api, p.name],
  );
  const assistantInfo = useLoad(
    () => api.get<Answer<typeof assistantInfoSchema>>('/v1/assistant'),
    [api],
  );
  // Unknown while loading: the switch shows its setting; known absent: it says so instead.
  const noModel = assistantInfo.data?.modelConfigured === false;
  const s = sb.data;
  const [edited, setEdited] = useState<SettingsDraft | null>(null);
  const base = s ? draftOf(s.settings) : EMPTY_DRAFT;
  const d = edited ?? base;
  const dirty =
    edited !== null &&
    s !== undefined &&
    JSON.stringify(settingsOf(s.settings, edited)) !== JSON.stringify(settingsOf(s.settings, base));
  const approverProblem = [d.journeyApprovers, ...d.policyApprovers].some(
    (t) => rolesProblem(t) !== null,
  );
  const retentionProblem =
    d.retention !== '' && !(/^\d+$/.test(d.retention) && Number(d.retention) >= 1)
      ? 'A whole number of days, 1 or more (empty: kept)'
      : null;
  const otherRetentionProblem = OTHER_RETENTION.some(
    (r) => daysProblem(d.otherRetention[r.key]) !== null,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(s?.title || p.name, 'Sandboxes');
  useLeaveGuard(() => (dirty ? `The settings of ${p.name} are changed but not saved.` : null));
  const isProduction = s?.type === 'production';

  const save = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (!s) return;
      // Campaign approval policies are kept as they are but for their approvers.
      const settings: SandboxSettings = settingsOf(s.settings, d);
      await api.put(
        `/v1/sandboxes/${encodeURIComponent(p.name)}/settings`,
        settings satisfies Body<typeof sandboxSettingsBody>,
      );
      setEdited(null);
      setNotice('Settings saved.');
      sb.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const typed = (verb: string) =>
    dialogs.prompt({
      title: `${verb} ${p.name}?`,
      label: `Type ${p.name} to confirm`,
      confirmLabel: `${verb} sandbox`,
      danger: true,
      validate: (v) => (v === p.name ? null : `Type exactly ${p.name}`),
    });
  const reset = async () => {
    if (
      !(await dialogs.confirm({
        title: `Reset ${p.name}?`,
        body: (
          <>
            <p>
              Everything in it is erased: journeys, content, audiences, profiles, events, messages
              and reports. Its name and settings stay.
            </p>
            <p>
              <strong>This cannot be undone.</strong>
            </p>
          </>
        ),
        confirmLabel: 'Continue',
        danger: true,
      }))
    )
      return;
    const confirm = await typed('Reset');
    if (confirm !== p.name) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.post(`/v1/sandboxes/${encodeURIComponent(p.name)}/reset`, { confirm });
      setNotice(`${p.name} is empty now.`);
      sb.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (
      !(await dialogs.confirm({
        title: `Delete ${p.name}?`,
        body: (
          <>
            <p>
              The sandbox and everything in it are erased, and roles given for it no longer reach
              it.
            </p>
            <p>
              <strong>This cannot be undone.</strong>
            </p>
          </>
        ),
        confirmLabel: 'Continue',
        danger: true,
      }))
    )
      return;
    const confirm = await typed('Delete');
    if (confirm !== p.name) return;
    setBusy(true);
    setError(null);
    try {
      await api.del(
        `/v1/sandboxes/${encodeURIComponent(p.name)}?confirm=${encodeURIComponent(confirm)}`,
      );
      setEdited(null);
      if (session.sandbox === p.name) session.setSandbox('prod');
      await navigate('/admin/sandboxes', { force: true });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="page admin sandbox-detail">
      <p className="crumbs">
        <Link to="/admin/sandboxes">Sandboxes</Link>
      </p>
      <div className="page-head">
        <h1>
          {s?.title || p.name}{' '}
          <span className="muted mono head-name">{s && s.title !== p.name ? p.name : ''}</span>
        </h1>
        {s && <span className={`badge sandbox-type ${s.type}`}>{TYPE_TEXT[s.type]}</span>}
      </div>
      {(sb.error ?? error) && (
        <p className="error" role="alert">
          {sb.error ?? error}
        </p>
      )}
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      {s && (
        <div className="admin-columns">
          <form
            className="card"
            aria-label="Settings"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <h2>Settings</h2>
            <label className="check toggle">
              <input
                type="checkbox"
                checked={d.approvals}
                onChange={(e) => setEdited({ ...d, approvals: e.target.checked })}
              />
              <span>
                <strong>Journey publishing needs approval</strong>
                <span className="muted small block">
                  A journey is published only after someone else with the Publish permission
                  approves the request.
                </span>
              </span>
            </label>
            <ApproverFields
              label="Journey approvers"
              value={d.journeyApprovers}
              onChange={(v) => setEdited({ ...d, journeyApprovers: v })}
            />
            {s.settings.approvals.campaigns.map((policy, i) => (
              <ApproverFields
                key={`${i}-${policy.name}`}
                label={`Approvers of campaign policy ${policy.name}`}
                value={d.policyApprovers[i] ?? approversText(undefined)}
                onChange={(v) =>
                  setEdited({
                    ...d,
                    policyApprovers: d.policyApprovers.map((x, k) => (k === i ? v : x)),
                  })
                }
              />
            ))}
            <label>
              Keep experience events for (days)
              <input
                inputMode="numeric"
                className="short"
                value={d.retention}
                onChange={(e) => setEdited({ ...d, retention: e.target.value.trim() })}
                aria-invalid={retentionProblem ? true : undefined}
                placeholder="Kept"
              />
              {retentionProblem ? (
                <span className="field-error">{retentionProblem}</span>
              ) : (
                <span className="muted small block">
                  Older events are purged every hour (profiles, messages and reports stay). Empty:
                  kept.
                </span>
              )}
            </label>
            {OTHER_RETENTION.map((r) => {
              const problem = daysProblem(d.otherRetention[r.key]);
              return (
                <label key={r.key}>
                  {r.label}
                  <input
                    inputMode="numeric"
                    className="short"
                    value={d.otherRetention[r.key]}
                    onChange={(e) =>
                      setEdited({
                        ...d,
                        otherRetention: { ...d.otherRetention, [r.key]: e.target.value.trim() },
                      })
                    }
                    aria-invalid={problem ? true : undefined}
                    placeholder="Kept"
                  />
                  {problem ? (
                    <span className="field-error">{problem}</span>
                  ) : (
                    <span className="muted small block">{r.help}</span>
                  )}
                </label>
              );
            })}
            <label className="check toggle">
              <input
                type="checkbox"
                checked={d.assistantModel && !noModel}
                disabled={noModel}
                onChange={(e) => setEdited({ ...d, assistantModel: e.target.checked })}
              />
              <span>
                <strong>The Assistant uses its model here</strong>
                {noModel ? (
                  <span className="muted small block">
                    No model is configured on this server (WAYMARK_AI_BASE_URL and
                    WAYMARK_AI_MODEL): the Assistant answers from the documentation and templated
                    figures only.
                  </span>
                ) : (
                  <span className="muted small block">
                    Off: answers from the documentation and templated figures only.
                  </span>
                )}
              </span>
            </label>
            <label className="check toggle">
              <input
                type="checkbox"
                checked={d.assistantPersonalData && !noModel}
                disabled={noModel}
                onChange={(e) => setEdited({ ...d, assistantPersonalData: e.target.checked })}
              />
              <span>
                <strong>Personal data may reach the Assistant’s model</strong>
                <span className="muted small block">
                  Off: emails and phone numbers are redacted before anything is sent to the model.
                </span>
              </span>
            </label>
            <div className="row form-actions">
              <button
                type="submit"
                className="primary"
                disabled={
                  !dirty || busy || !!retentionProblem || otherRetentionProblem || approverProblem
                }
              >
                Save settings
              </button>
              {dirty && (
                <button type="button" onClick={() => setEdited(null)}>
                  Discard changes
                </button>
              )}
              {dirty && <span className="badge unsaved">Unsaved</span>}
            </div>
            <dl className="facts">
              <dt>Created</dt>
              <dd>
                {day(s.createdAt)} by <ActorText actor={s.createdBy} />
              </dd>
            </dl>
          </form>
          <AllowedHosts sandbox={p.name} />
          <div className="card danger-zone" role="region" aria-label="Danger zone">
            <h2>Danger zone</h2>
            <div className="danger-row">
              <div>
                <strong>Reset</strong>
                <p className="muted small">
                  Erase everything in the sandbox; keep its name and settings.
                </p>
              </div>
              <button type="button" className="danger" disabled={busy} onClick={() => void reset()}>
                Reset sandbox
              </button>
            </div>
            <div className="danger-row">
              <div>
                <strong>Delete</strong>
                <p className="muted small">
                  {isProduction
                    ? 'A production sandbox holds live customers\u2019 journeys and data: it cannot be deleted. Reset empties it, after you type its name.'
                    : 'Erase the sandbox and everything in it.'}
                </p>
              </div>
              <button
                type="button"
                className="danger"
                disabled={busy || isProduction}
                title={isProduction ? 'Production sandboxes cannot be deleted' : undefined}
                onClick={() => void remove()}
              >
                Delete sandbox
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

export function SandboxesPage(props: { selected?: string }) {
  return props.selected ? (
    <SandboxDetail key={props.selected} name={props.selected} />
  ) : (
    <SandboxList />
  );
}
