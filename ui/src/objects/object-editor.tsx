// One object's editor: a Form tab and an Advanced (JSON) tab over the same draft, save with the
// revision it was based on, delete through "who uses it", archive. Mounted with a key per object,
// so no draft outlives the object it was typed for; unsaved changes hold every way out.
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorText } from '../api/client.ts';
import type { StoredObject } from '../api/types.ts';
import { useDialogs } from '../app/dialog.tsx';
import { OBJECT_KEY_FIELD, OBJECT_KINDS, OBJECT_SINGULAR } from '../app/menu.ts';
import type { ObjectKind } from '../app/menu.ts';
import { useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useObjectAccess } from '../app/object-access.ts';
import { ViewOnlyNote } from '../app/permissions.tsx';
import { SchemaForm, emptySpec, schemaFor, validateSpec } from './form-engine.ts';
import type { FormIssue, ReferenceLookup, Spec } from './form-engine.ts';
import { JsonEditor } from './json-editor.tsx';
import { objectApi } from './object-api.ts';
import { resolveConflict } from './object-conflict.tsx';
import { deleteObject } from './object-delete.tsx';
import { FormApart } from './decisioning-editors.tsx';
import { ObjectExtras } from './object-extras.tsx';
import { nameOf, when } from './object-list.tsx';
import { plainIssue } from './plain-issue.ts';

type Tab = 'form' | 'json';

/** After a refused save, the first field in error gets the focus (and so scrolls into view). */
const focusFirstProblem = () =>
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('.tab-panel [aria-invalid="true"]')?.focus(),
    ),
  );
type Note = { ok: boolean; text: string } | null;

const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const isSpec = (v: unknown): v is Spec => typeof v === 'object' && v !== null && !Array.isArray(v);
function parse(text: string): Spec | null {
  try {
    const v = JSON.parse(text) as unknown;
    return isSpec(v) ? v : null;
  } catch {
    return null;
  }
}

export interface EditorEvents {
  /** A new object was created (the page shows it). */
  onCreated(key: string): void;
  /** The object changed on the server (saved, archived): the list reloads. */
  onChanged(): void;
  /** The object is gone. */
  onDeleted(): void;
}

export function ObjectEditor(
  p: {
    kind: ObjectKind;
    objectKey: string | null;
    archived: boolean;
    names: readonly string[];
    references: ReferenceLookup;
  } & EditorEvents,
) {
  const api = useApi();
  const dialogs = useDialogs();
  const objects = useMemo(() => objectApi(api), [api]);
  const creating = p.objectKey === null;
  const access = useObjectAccess(p.kind);
  // Read-only once /v1/me says the person may not change this kind (the server refuses it anyway).
  const readOnly = access.manage === false;
  const [stored, setStored] = useState<StoredObject | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [base, setBase] = useState<Spec | null>(creating ? emptySpec(p.kind) : null);
  const [draft, setDraft] = useState<Spec>(() => emptySpec(p.kind));
  const [text, setText] = useState(() => pretty(emptySpec(p.kind)));
  const [tab, setTab] = useState<Tab>('form');
  const [serverIssues, setServerIssues] = useState<readonly FormIssue[]>([]);
  const [showIssues, setShowIssues] = useState(false);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);

  function show(o: StoredObject) {
    setStored(o);
    setBase(o.spec);
    setDraft(o.spec);
    setText(pretty(o.spec));
  }
  useEffect(() => {
    if (p.objectKey === null) return;
    let live = true;
    objects.get(p.kind, p.objectKey).then(
      (o) => {
        if (live) show(o);
      },
      (e: unknown) => {
        if (live) setLoadError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
    // The editor is keyed by the object: the key never changes while mounted.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const parsed = parse(text);
  const dirty =
    base !== null &&
    (parsed === null ? text !== pretty(base) : JSON.stringify(parsed) !== JSON.stringify(base));
  const clientIssues = useMemo(() => validateSpec(p.kind, draft), [p.kind, draft]);
  const problems = useMemo(
    () => [...(showIssues ? clientIssues : []), ...serverIssues],
    [showIssues, clientIssues, serverIssues],
  );
  const schema = useMemo(() => schemaFor(p.kind), [p.kind]);
  const singular = OBJECT_SINGULAR[p.kind];
  const name = creating ? `New ${singular}` : stored ? nameOf(p.kind, stored) : p.objectKey!;

  useLeaveGuard(() =>
    dirty
      ? `Your changes to ${creating ? `the new ${singular}` : `"${name}"`} are not saved.`
      : null,
  );

  function editForm(v: Spec) {
    setDraft(v);
    setText(pretty(v));
    setNote(null);
  }
  function editText(t: string) {
    setText(t);
    const v = parse(t);
    if (v) setDraft(v);
    setNote(null);
  }

  async function afterConflict(spec: Spec): Promise<void> {
    const theirs = await objects.find(p.kind, p.objectKey!);
    const choice = await resolveConflict(dialogs, name, spec, theirs);
    if (choice === 'reload' && theirs) {
      show(theirs);
      setServerIssues([]);
      setNote({
        ok: true,
        text: `Reloaded revision ${theirs.revision}: your changes were discarded.`,
      });
      return;
    }
    if (choice === 'overwrite') {
      const r = theirs
        ? await objects.save(p.kind, p.objectKey!, spec, theirs.revision)
        : await objects.create(p.kind, spec);
      show(r);
      setNote({ ok: true, text: 'Saved over the other version.' });
      p.onChanged();
      return;
    }
    setNote({
      ok: false,
      text: 'Not saved: someone else saved a newer version. Your changes are still here.',
    });
  }

  async function save() {
    if (readOnly) return;
    setNote(null);
    setServerIssues([]);
    if (!parsed) {
      setTab('json');
      setNote({ ok: false, text: 'The JSON has an error (marked in red): fix it, then save.' });
      return;
    }
    if (clientIssues.length > 0) {
      setShowIssues(true);
      focusFirstProblem();
      setNote({
        ok: false,
        text:
          clientIssues.length === 1
            ? 'One field needs your attention before saving.'
            : `${clientIssues.length} fields need your attention before saving.`,
      });
      return;
    }
    setBusy(true);
    try {
      if (creating) {
        const keyField = OBJECT_KEY_FIELD[p.kind];
        const key = typeof parsed[keyField] === 'string' ? parsed[keyField].trim() : '';
        if (!key) {
          setShowIssues(true);
          setServerIssues([
            {
              path: keyField,
              message: `Give the ${singular} a ${keyField === 'code' ? 'code' : keyField === 'id' ? 'unique id' : 'name'}.`,
            },
          ]);
          setNote({ ok: false, text: 'One field needs your attention before saving.' });
          return;
        }
        if (await objects.find(p.kind, key)) {
          setServerIssues([
            {
              path: keyField,
              message: `There is already a ${singular} called "${key}": choose another ${keyField === 'name' ? 'name' : keyField}.`,
            },
          ]);
          setNote({ ok: false, text: 'Not created: the name is taken.' });
          return;
        }
        await objects.create(p.kind, parsed);
        setBase(parsed);
        p.onChanged();
        p.onCreated(key);
        return;
      }
      const r = await objects.save(p.kind, p.objectKey!, parsed, stored?.revision ?? null);
      show(r);
      setShowIssues(false);
      setNote({
        ok: true,
        text: r.status === 'unchanged' ? 'Saved: nothing had changed.' : 'Saved.',
      });
      p.onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict') {
        await afterConflict(parsed);
        return;
      }
      if (err instanceof ApiError && err.issues.length > 0) {
        setServerIssues(err.issues.map((i) => ({ path: i.path, message: plainIssue(i) })));
        focusFirstProblem();
        setNote({ ok: false, text: `Not saved: ${err.message}.` });
      } else setNote({ ok: false, text: `Not saved: ${errorText(err)}` });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setNote(null);
    try {
      const r = await deleteObject(api, dialogs, p.kind, p.objectKey!, name);
      if (r === 'deleted') {
        setBase(draft);
        p.onDeleted();
      }
      if (r === 'archived') {
        setNote({
          ok: true,
          text: `Archived: still used where it is, marked as archived in lists.`,
        });
        p.onChanged();
      }
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    }
  }

  async function setArchived(archived: boolean) {
    try {
      await objects.archive(p.kind, p.objectKey!, archived);
      setNote({ ok: true, text: archived ? 'Archived.' : 'Unarchived.' });
      p.onChanged();
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    }
  }

  /** Something beside the editor changed the object (an asset upload): show the stored one. */
  function refresh() {
    p.onChanged();
    if (p.objectKey !== null && !dirty)
      objects.get(p.kind, p.objectKey).then(show, () => undefined);
  }

  async function discard() {
    if (!base) return;
    if (
      !(await dialogs.confirm({
        title: 'Discard your changes?',
        body: <p>The {singular} goes back to its saved version.</p>,
        confirmLabel: 'Discard changes',
        danger: true,
      }))
    )
      return;
    setDraft(base);
    setText(pretty(base));
    setServerIssues([]);
    setShowIssues(false);
  }

  if (loadError)
    return (
      <div className="object-detail">
        <p className="error" role="alert">
          {loadError}
        </p>
      </div>
    );
  if (!creating && !stored)
    return (
      <div className="object-detail">
        <p className="muted">Loading…</p>
      </div>
    );

  return (
    <div className="object-detail">
      <div className="detail-head">
        <div className="detail-title">
          <h2>{name}</h2>
          <p className="muted small">
            {OBJECT_KINDS[p.kind]}
            {stored && stored.key !== name && (
              <>
                {' '}
                · <code>{stored.key}</code>
              </>
            )}
            {stored?.updatedAt && <> · changed {when(stored.updatedAt)}</>}
            {stored && <> · revision {stored.revision}</>}
          </p>
        </div>
        <div className="detail-badges">
          {p.archived && <span className="badge archived">Archived</span>}
          {dirty && (
            <span className="badge unsaved" role="status" aria-label="Unsaved changes">
              Unsaved changes
            </span>
          )}
        </div>
      </div>

      {readOnly && <ViewOnlyNote needed={access.managePermission} what={singular} />}
      <div className="tabs" role="tablist" aria-label="Edit as">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'form'}
          className={tab === 'form' ? 'on' : ''}
          onClick={() => setTab('form')}
        >
          Form
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'json'}
          className={tab === 'json' ? 'on' : ''}
          onClick={() => setTab('json')}
        >
          Advanced (JSON)
        </button>
      </div>
      <div
        role="tabpanel"
        aria-label={tab === 'form' ? 'Form' : 'Advanced (JSON)'}
        className="tab-panel"
      >
        {tab === 'form' ? (
          parsed ? (
            <fieldset className="plain-fieldset" disabled={readOnly}>
              <SchemaForm
                kind={p.kind}
                value={draft}
                onChange={editForm}
                serverIssues={problems}
                references={p.references}
                readOnlyKey={!creating}
              />
              <FormApart
                kind={p.kind}
                value={draft}
                onChange={editForm}
                references={p.references}
                readOnly={readOnly}
              />
            </fieldset>
          ) : (
            <p className="error" role="alert">
              The JSON has an error: fix it in the Advanced tab to use the form again.
            </p>
          )
        ) : (
          <JsonEditor
            label={`${OBJECT_KINDS[p.kind]} definition`}
            value={text}
            onChange={editText}
            schema={schema}
            problems={problems}
            readOnly={readOnly}
          />
        )}
      </div>

      {tab === 'json' && problems.length > 0 && (
        <ul className="problems" aria-label="Problems">
          {problems.map((i, k) => (
            <li key={k}>
              {i.message}
              {i.path && i.path !== '(root)' && <span className="muted small"> — at {i.path}</span>}
            </li>
          ))}
        </ul>
      )}
      {/* Kept in view at the bottom while a long form scrolls: Save and what the last save said. */}
      {(!readOnly || access.delete === true || note) && (
        <div className="row detail-actions">
          {access.manage === true && (
            <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
              {creating ? 'Create' : 'Save'}
            </button>
          )}
          {!creating && dirty && access.manage === true && (
            <button type="button" onClick={() => void discard()}>
              Discard changes
            </button>
          )}
          <span className="spacer">
            {note && (
              <span
                className={`note ${note.ok ? 'ok' : 'error'}`}
                role={note.ok ? 'status' : 'alert'}
              >
                {note.text}
              </span>
            )}
          </span>
          {!creating &&
            access.manage === true &&
            (p.archived ? (
              <button type="button" onClick={() => void setArchived(false)}>
                Unarchive
              </button>
            ) : (
              <button type="button" onClick={() => void setArchived(true)}>
                Archive
              </button>
            ))}
          {!creating && access.delete === true && (
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete
            </button>
          )}
        </div>
      )}

      {stored && (
        <fieldset className="plain-fieldset" disabled={readOnly}>
          <ObjectExtras
            kind={p.kind}
            object={stored}
            draft={parsed}
            names={p.names}
            onDraft={editForm}
            onReload={refresh}
          />
        </fieldset>
      )}
    </div>
  );
}
