// What the administration pages share: reading list answers, dates and actors for people, the
// role-and-sandboxes picker (a user's several assignments, a key's one), the copy-once field, and
// the lists of roles and sandboxes the pickers offer.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Actor, RoleAssignment, RoleView, SandboxView } from '@waymark/shared/api/access.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import type { Loaded } from '../app/use-load.ts';
import './admin.css';

/** A list answer: a bare array or `{items}` (the routes answer `{items}`; tolerate both). */
export function itemsOf<T>(r: unknown): T[] {
  if (Array.isArray(r)) return r as T[];
  if (r && typeof r === 'object' && Array.isArray((r as { items?: unknown }).items))
    return (r as { items: T[] }).items;
  return [];
}

/** "3 Dec 2026, 09:41", or the fallback for none. */
export function when(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
}

export function day(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

const ACTOR_KIND: Record<Actor['kind'], string> = {
  user: 'Person',
  key: 'API key',
  operator: 'Operator key',
  system: 'Waymark',
};

/** Who did it, as people read it: the email or key name, and what it is. */
export function ActorText(p: { actor: Actor | null | undefined }) {
  if (!p.actor) return <span className="muted">—</span>;
  return (
    <span className="actor" title={`${ACTOR_KIND[p.actor.kind]} ${p.actor.id}`}>
      {p.actor.name}
      {p.actor.kind !== 'user' && p.actor.kind !== 'system' && (
        <span className="actor-kind"> · {ACTOR_KIND[p.actor.kind]}</span>
      )}
    </span>
  );
}

export function sandboxesText(s: readonly string[]): string {
  return s.includes('*') ? 'All sandboxes' : s.join(', ') || 'none';
}

export function useRoles(): Loaded<RoleView[]> {
  const api = useApi();
  return useLoad(() => api.get<unknown>('/v1/roles').then((r) => itemsOf<RoleView>(r)), [api]);
}

export function useSandboxList(): Loaded<SandboxView[]> {
  const api = useApi();
  return useLoad(
    () => api.get<unknown>('/v1/sandboxes').then((r) => itemsOf<SandboxView>(r)),
    [api],
  );
}

export function roleTitle(roles: readonly RoleView[] | undefined, name: string): string {
  return roles?.find((r) => r.name === name)?.title ?? name;
}

/** Sandboxes as checkboxes, with "All sandboxes (present and future)" as '*'. */
export function SandboxChecks(p: {
  sandboxes: readonly Pick<SandboxView, 'name' | 'title'>[];
  value: readonly string[];
  onChange(v: string[]): void;
  label?: string;
}) {
  const all = p.value.includes('*');
  const toggle = (name: string, on: boolean) =>
    p.onChange(
      on ? [...p.value.filter((x) => x !== name), name] : p.value.filter((x) => x !== name),
    );
  return (
    <fieldset className="sandbox-checks">
      <legend>{p.label ?? 'Sandboxes'}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => p.onChange(e.target.checked ? ['*'] : [])}
        />{' '}
        All sandboxes, present and future
      </label>
      {!all &&
        p.sandboxes.map((s) => (
          <label key={s.name} className="check">
            <input
              type="checkbox"
              checked={p.value.includes(s.name)}
              onChange={(e) => toggle(s.name, e.target.checked)}
            />{' '}
            {s.title && s.title !== s.name ? `${s.title} (${s.name})` : s.name}
          </label>
        ))}
    </fieldset>
  );
}

/** A user's roles: one row per role with the sandboxes it holds it in; rows added and removed. */
export function AssignmentsEditor(p: {
  roles: readonly RoleView[];
  sandboxes: readonly SandboxView[];
  value: readonly RoleAssignment[];
  onChange(v: RoleAssignment[]): void;
}) {
  const set = (i: number, a: RoleAssignment) =>
    p.onChange(p.value.map((x, j) => (j === i ? a : x)));
  const unused = p.roles.find((r) => !p.value.some((a) => a.role === r.name));
  return (
    <div className="assignments" role="group" aria-label="Roles">
      {p.value.map((a, i) => (
        <div key={i} className="assignment">
          <label>
            Role
            <select
              aria-label={`Role ${i + 1}`}
              value={a.role}
              onChange={(e) => set(i, { ...a, role: e.target.value })}
            >
              {p.roles.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
          <SandboxChecks
            label={`Sandboxes for ${p.roles.find((r) => r.name === a.role)?.title ?? a.role}`}
            sandboxes={p.sandboxes}
            value={a.sandboxes}
            onChange={(s) => set(i, { ...a, sandboxes: s })}
          />
          <button
            type="button"
            className="link remove"
            onClick={() => p.onChange(p.value.filter((_, j) => j !== i))}
            aria-label={`Remove role ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      {p.value.length === 0 && (
        <p className="muted small">No role: this person could sign in but see nothing.</p>
      )}
      <button
        type="button"
        className="add-assignment"
        disabled={!unused}
        onClick={() =>
          unused && p.onChange([...p.value, { role: unused.name, sandboxes: ['prod'] }])
        }
      >
        + Add a role
      </button>
    </div>
  );
}

export function assignmentsText(
  roles: readonly RoleView[] | undefined,
  a: readonly RoleAssignment[],
) {
  if (a.length === 0) return <span className="muted">No role</span>;
  return (
    <ul className="assignment-list">
      {a.map((x, i) => (
        <li key={i}>
          <span className="badge role-badge">{roleTitle(roles, x.role)}</span>{' '}
          <span className="muted small">{sandboxesText(x.sandboxes)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A secret or link shown once, with Copy. */
export function CopyOnce(p: { label: string; value: string; note: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-once" role="region" aria-label={p.label}>
      <strong>{p.label}</strong>
      <div className="copy-row">
        <input
          readOnly
          value={p.value}
          aria-label={p.label}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="primary"
          onClick={() => {
            void navigator.clipboard?.writeText(p.value).then(
              () => setCopied(true),
              () => setCopied(false),
            );
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="warn-note small">{p.note}</p>
    </div>
  );
}

/** A modal form of the page's own (the dialog provider's dialogs only ask simple questions). */
export function FormDialog(p: {
  title: string;
  children: ReactNode;
  onClose(): void;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog admin-dialog${p.wide ? ' wide' : ''}`}
      aria-labelledby="admin-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        p.onClose();
      }}
    >
      <div className="admin-dialog-body">
        <h2 id="admin-dialog-title">{p.title}</h2>
        {p.children}
      </div>
    </dialog>
  );
}
