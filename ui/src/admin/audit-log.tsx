// The audit log (/admin/audit-log): who changed what, when, newest first; filtered by object,
// actor, action and dates; each entry opens to its changes (before → after, secrets redacted);
// "Load more" pages back; Export downloads the same selection as JSON lines.
import { Fragment, useEffect, useState } from 'react';
import type { AuditChange, AuditEntry, auditPageAnswer } from '@waymark/shared/api/access.ts';
import type { Answer } from '@waymark/shared/api/answer.ts';
import { errorText } from '../api/client.ts';
import { usePageTitle } from '../app/page-title.ts';
import { useApi, useSession } from '../app/session.tsx';
import { ActorText, useSandboxList, when } from './admin-common.tsx';
import { HelpLink } from '../app/help-link.tsx';

interface Filters {
  object: string;
  actor: string;
  action: string;
  since: string;
  until: string;
  sandbox: string;
}
/** sandbox '': the console's sandbox (with the entries outside any sandbox); '*': every sandbox. */
const NO_FILTERS: Filters = {
  object: '',
  actor: '',
  action: '',
  since: '',
  until: '',
  sandbox: '',
};
const PAGE = 50;

/** The query string for the filters (dates as the start of `since` and the end of `until`, local time). */
export function auditQuery(f: Filters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.object.trim()) q.set('object', f.object.trim());
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action.trim()) q.set('action', f.action.trim());
  if (f.since) q.set('since', new Date(`${f.since}T00:00:00`).toISOString());
  if (f.until) q.set('until', new Date(`${f.until}T23:59:59.999`).toISOString());
  if (f.sandbox) q.set('sandbox', f.sandbox);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const ACTION_WORDS: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  publish: 'published',
  stop: 'stopped',
  pause: 'paused',
  resume: 'resumed',
  close: 'closed',
  revoke: 'revoked',
  rotate: 'rotated',
  reset: 'reset',
  erase: 'erased',
  invite: 'invited',
  request: 'requested approval',
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  apply: 'applied',
  'sign-out': 'signed out',
  'sign-in': 'signed in',
  put: 'saved',
  settings: 'settings changed',
  'sso-sign-in': 'signed in (single sign-on)',
};
/** 'journey.publish' → 'journey published' (the raw action stays in the title). */
const KIND_WORDS: Record<string, string> = {
  apiKey: 'API key',
  user: 'user',
  role: 'role',
  sandbox: 'sandbox',
  journey: 'journey',
  approvalRequest: 'approval',
};
export const kindText = (k: string): string =>
  KIND_WORDS[k] ?? k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

const WHOLE_ACTIONS: Record<string, string> = {
  'approval.request': 'publication requested',
  'approval.approve': 'publication approved',
  'approval.reject': 'publication rejected',
  'approval.cancel': 'approval request withdrawn',
  'journey.new-version': 'new version created',
  'journey.versions': 'new version created',
  'journey.test-mode': 'test mode changed',
  'journey.dry-run': 'dry run started or stopped',
  'sandbox.settings': 'sandbox settings changed',
  'role.put': 'role saved',
  'session.sign-in': 'signed in',
  'session.sign-out': 'signed out',
  'user.sign-out': 'signed out everywhere',
  'session.sign-out-everywhere': 'signed out everywhere',
  'session.sign-in-failed': 'sign-in refused',
  'user.accept-invitation': 'invitation accepted',
  'user.password-reset': 'password reset',
  'user.sso-sign-in': 'signed in (single sign-on)',
  'journey.test-run': 'test run',
  'journey.test-run-replay': 'test run replayed',
  'audience.create-from-feedback': 'audience created from feedback',
  'audience.create-from-campaign-report': 'audience created from a campaign report',
  'settings.profiles': 'profile settings changed',
  'settings.allowed-hosts.add': 'allowed host added',
  'settings.allowed-hosts.remove': 'allowed host removed',
};
export function actionText(action: string): string {
  const whole = WHOLE_ACTIONS[action];
  if (whole) return whole;
  const [area, verb] = action.includes('.')
    ? [action.slice(0, action.indexOf('.')), action.slice(action.indexOf('.') + 1)]
    : ['', action];
  const v = ACTION_WORDS[verb] ?? verb.replace(/[-_.]/g, ' ');
  return area ? `${area.replace(/[-_]/g, ' ')} ${v}` : v;
}

function value(v: unknown) {
  if (v === undefined) return <span className="muted">—</span>;
  if (typeof v === 'string') return <span className="audit-value">{v}</span>;
  return <code className="audit-value">{JSON.stringify(v)}</code>;
}

function Changes(p: {
  changes: readonly AuditChange[];
  details?: Readonly<Record<string, unknown>>;
}) {
  return (
    <div className="audit-changes">
      {p.changes.length === 0 && <p className="muted small">No field-level changes recorded.</p>}
      {p.changes.length > 0 && (
        <table className="grid compact" aria-label="Changes">
          <thead>
            <tr>
              <th>Where</th>
              <th>Before</th>
              <th />
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {p.changes.map((c, i) => (
              <tr key={i}>
                <td className="mono">{c.path || '(whole object)'}</td>
                <td>{value(c.before)}</td>
                <td className="muted">→</td>
                <td>{value(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.details && Object.keys(p.details).length > 0 && (
        <dl className="facts small">
          {Object.entries(p.details).map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}

export function AuditLogPage(_props: { selected?: string }) {
  const api = useApi();
  const { sandbox } = useSession();
  const sandboxes = useSandboxList();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<readonly AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [exporting, setExporting] = useState(false);
  usePageTitle('Audit log');

  const load = async (f: Filters, before: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const r = await api.get<Answer<typeof auditPageAnswer>>(
        `/v1/audit-log${auditQuery(f, { limit: String(PAGE), ...(before ? { before } : {}) })}`,
      );
      setItems((old) => (before ? [...old, ...r.items] : r.items));
      setNext(r.next);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(filters, null);
  }, [api, filters]); // eslint-disable-line react-hooks/exhaustive-deps

  const exportLines = async () => {
    setExporting(true);
    setError(null);
    try {
      const text = await api.request<unknown>(
        'GET',
        `/v1/audit-log/export${auditQuery(filters)}`,
        undefined,
        { accept: 'application/x-ndjson' },
      );
      const body = typeof text === 'string' ? text : JSON.stringify(text);
      const url = URL.createObjectURL(new Blob([body], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-log-${sandbox}-${new Date().toISOString().slice(0, 10)}.jsonl`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <section className="page admin audit-log">
      <div className="page-head">
        <h1>Audit log</h1>
        <HelpLink topic="auditLog" />
        <button type="button" onClick={() => void exportLines()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export (JSON lines)'}
        </button>
      </div>
      <form
        className="card audit-filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label>
          Object
          <input
            type="search"
            value={draft.object}
            onChange={(e) => setDraft({ ...draft, object: e.target.value })}
            placeholder="journey:purchase or a key"
          />
        </label>
        <label>
          Actor
          <input
            type="search"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            placeholder="Email or key name"
          />
        </label>
        <label>
          Action
          <input
            type="search"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            placeholder="journey.publish"
            list="audit-actions"
          />
        </label>
        <datalist id="audit-actions">
          {[
            'object.create',
            'object.update',
            'object.delete',
            'journey.create',
            'journey.publish',
            'journey.stop',
            'approval.request',
            'approval.approve',
            'approval.reject',
            'key.create',
            'key.revoke',
            'key.rotate',
            'user.invite',
            'user.update',
            'user.delete',
            'role.put',
            'role.delete',
            'sandbox.create',
            'sandbox.reset',
            'sandbox.settings',
            'profile.erase',
            'package.apply',
            'session.sign-in',
          ].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label>
          Sandbox
          <select
            value={draft.sandbox}
            onChange={(e) => setDraft({ ...draft, sandbox: e.target.value })}
          >
            <option value="">{sandbox} (this one)</option>
            {(sandboxes.data ?? [])
              .filter((s) => s.name !== sandbox)
              .map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            <option value="*">Every sandbox</option>
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </label>
        <div className="row filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          {filtered && (
            <button
              type="button"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="grid list admin-table audit-table" aria-label="Audit log">
        <thead>
          <tr>
            <th className="expand-col" />
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Object</th>
            <th>Sandbox</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const isOpen = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr className={isOpen ? 'open' : undefined}>
                  <td className="expand-col">
                    <button
                      type="button"
                      className="link expand"
                      aria-expanded={isOpen}
                      aria-label={`${isOpen ? 'Hide' : 'Show'} changes of ${actionText(e.action)} at ${when(e.at)}`}
                      onClick={() => toggle(e.id)}
                    >
                      {isOpen ? '▾' : '▸'}
                    </button>
                  </td>
                  <td className="nowrap">{when(e.at)}</td>
                  <td>
                    <ActorText actor={e.actor} />
                  </td>
                  <td title={e.action}>
                    {actionText(e.action)}
                    {e.changes.length > 0 && (
                      <span className="muted small">
                        {' '}
                        · {e.changes.length} {e.changes.length === 1 ? 'change' : 'changes'}
                      </span>
                    )}
                  </td>
                  <td>
                    {e.object ? (
                      <span>
                        {e.object.name ?? e.object.key}{' '}
                        <span className="muted small" title={e.object.key}>
                          {kindText(e.object.kind)}
                          {e.object.name &&
                          e.object.name !== e.object.key &&
                          !/^(usr|key)_/.test(e.object.key)
                            ? ` · ${e.object.key}`
                            : ''}
                        </span>
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {e.sandbox ?? (
                      <span
                        className="muted"
                        title="People, roles, keys and sign-ins belong to no sandbox"
                      >
                        —
                      </span>
                    )}
                  </td>
                </tr>
                {isOpen && (
                  <tr className="audit-detail">
                    <td />
                    <td colSpan={5}>
                      <Changes changes={e.changes} details={e.details} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
          {!loading && items.length === 0 && !error && (
            <tr>
              <td colSpan={6} className="muted">
                {filtered ? 'No entry matches these filters.' : 'Nothing recorded yet.'}
              </td>
            </tr>
          )}
          {loading && items.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {next && (
        <button type="button" onClick={() => void load(filters, next)} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
