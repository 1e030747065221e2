// The journey editor's state, in one place: the definition with undo/redo, the server copy's status,
// saving (debounced auto-save of drafts, invalid ones too: problems block publishing, not saving),
// optimistic concurrency (If-Match with the draft's ETag; a 409 stops auto-save until the person
// reloads theirs or overwrites), validation issues per activity, and lifecycle commands.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, errorText } from '../api/client.ts';
import type { Api } from '../api/client.ts';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { validateAnswer } from '@waymark/shared/api/reports.ts';
import type { JourneyDefinition, JourneySummary, ValidationIssue } from '../api/types.ts';
import { historyReducer } from './history.ts';
import type { History } from './history.ts';

export type SaveState = 'new' | 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

/** Someone else saved the draft after we loaded it: our definition, kept until the person decides. */
export interface Conflict {
  readonly mine: JourneyDefinition;
  readonly seen: number;
}

const isConflict = (err: unknown) =>
  err instanceof ApiError &&
  err.status === 409 &&
  /conflict|version|precondition/i.test(`${err.code} ${err.message}`);
/** An issue from validation, or from an error answer (`node` and `code` may be absent there). */
type Issue = Pick<ValidationIssue, 'path' | 'message'> & { readonly node?: string | null };
const problemsOf = (body: unknown): Issue[] | null => {
  if (!body || typeof body !== 'object') return null;
  const b = body as { problems?: unknown; issues?: unknown };
  const list = Array.isArray(b.problems) ? b.problems : Array.isArray(b.issues) ? b.issues : null;
  return list as Issue[] | null;
};
export type Command = 'publish' | 'pause' | 'resume' | 'close' | 'stop' | 'versions';

const EMPTY: JourneyDefinition = {
  name: '',
  entry: { type: 'event' },
  reentrance: { allowed: true, waitSeconds: 300 },
  timeZone: 'UTC',
  testMode: { waitSeconds: 10 },
  actionTimeoutSeconds: 30,
  start: '',
  nodes: [],
};

/** `nodes.3.configuration` or `nodes[3].x` → the id of node 3 of the definition that was sent. */
export function issuesToNodes(
  def: JourneyDefinition,
  issues: readonly Issue[],
): { byNode: Map<string, string[]>; general: string[] } {
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  for (const i of issues) {
    const m = /^nodes(?:\.|\[)(\d+)/.exec(i.path);
    const id = i.node ?? (m ? def.nodes[Number(m[1])]?.id : undefined);
    const message = i.message.replace(
      /^Too small: expected string to have >=1 characters?$/,
      'required: choose or type a value',
    );
    // Shown on the activity itself: "email activity "Email" (id email): " would only repeat which one.
    const own = message.replace(/^\w+ activity "[^"]*" \(id [^)]+\): /, '');
    const text =
      i.path && !i.node
        ? `${i.path.replace(/^nodes(?:\.|\[)\d+\]?\.?/, '') || 'activity'}: ${own}`
        : own;
    if (id)
      byNode.set(id, [...(byNode.get(id) ?? []), text.charAt(0).toUpperCase() + text.slice(1)]);
    else general.push(`${i.path ? `${i.path}: ` : ''}${message}`);
  }
  return { byNode, general };
}

export function useJourney(api: Api, id: string, newName: string | null) {
  const [history, dispatch] = useReducer(historyReducer<JourneyDefinition>, {
    past: [],
    present: { ...EMPTY, name: newName ?? id },
    future: [],
  } as History<JourneyDefinition>);
  const [summary, setSummary] = useState<JourneySummary | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [issues, setIssues] = useState<{ byNode: Map<string, string[]>; general: string[] }>({
    byNode: new Map(),
    general: [],
  });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [commandError, setCommandError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Counts loads from the server: the canvas fits the view after each. */
  const [loads, setLoads] = useState(0);
  /** Nothing is editable before the server's copy (or its absence) is known: typing into the
   * placeholder would be wiped by the load. */
  const [ready, setReady] = useState(false);
  /** Whether the editor has been shown (loads after the first reset what is on screen at once). */
  const shown = useRef(false);
  /** A reload of the shown journey is on its way: the editor is read only meanwhile, as the reset
   * that ends it would drop any edit made in between. The ref is what `edit` reads at once. */
  const [reloading, setReloading] = useState(false);
  const reloadingRef = useRef(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const exists = useRef(false);
  /** The ETag of the server copy this editor last saw: sent as If-Match so nobody's save is overwritten silently. */
  const etag = useRef<string | null>(null);
  /** The conflict as saves see it at once (state arrives a render later). */
  const conflictRef = useRef<Conflict | null>(null);
  const lastSaved = useRef<JourneyDefinition | null>(null);
  /** Answers to older saves are dropped: only the latest save sets the issues. */
  const seq = useRef(0);
  const def = history.present;
  /** The definition on screen now: a save that lands after a newer edit must not say "Saved". */
  const current = useRef(def);
  current.current = def;
  const status = summary?.latest.status ?? 'draft';
  const readOnly = status !== 'draft';

  // Saves run one after the other, so the server never sees an older definition last.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const save = useCallback(
    (d: JourneyDefinition): Promise<boolean> => {
      const run = queue.current.then(() => saveNow(d));
      queue.current = run.catch(() => undefined);
      return run;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, id],
  );

  const load = useCallback(async () => {
    const reload = shown.current;
    if (reload) {
      reloadingRef.current = true;
      setReloading(true);
    }
    try {
      if (reload) {
        // Edits not saved yet (auto-save waits a moment) go to the server before its copy replaces
        // them, and saves on their way land first: the reload then shows them, it does not undo
        // them. Not after a conflict: reloading theirs is what the person chose there.
        const mine = current.current;
        if (!conflictRef.current && mine !== lastSaved.current && mine.nodes.length > 0) {
          if (!(await save(mine))) return null; // its error or conflict shows; the work stays
        }
        await queue.current;
      }
      const { body: j, etag: tag } = await api.exchange<JourneySummary>(
        'GET',
        `/v1/journeys/${encodeURIComponent(id)}`,
      );
      exists.current = true;
      etag.current = tag;
      conflictRef.current = null;
      setConflict(null);
      setSummary(j);
      lastSaved.current = j.latest.definition;
      dispatch({ kind: 'reset', value: j.latest.definition });
      setSaveState('saved');
      setLoadError(null);
      if (j.latest.status === 'draft') {
        const checked = validate();
        // The first time, the draft's problems come with it: arriving after the editor shows,
        // their count and banner would move the palette and the canvas under the pointer.
        if (!shown.current) await checked;
      }
      shown.current = true;
      setLoads((n) => n + 1);
      setReady(true);
      return j;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && newName !== null) {
        exists.current = false;
        setSaveState('new');
        setReady(true);
        return null;
      }
      setLoadError(errorText(err));
      return null;
    } finally {
      if (reload) {
        reloadingRef.current = false;
        setReloading(false);
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  useEffect(() => {
    void load();
  }, [load]);

  async function validate(mine = seq.current): Promise<boolean> {
    try {
      const r = await api.post<Answer<typeof validateAnswer>>(
        `/v1/journeys/${encodeURIComponent(id)}/validate`,
      );
      if (mine !== seq.current) return r.valid;
      setIssues(issuesToNodes(lastSaved.current ?? def, r.issues));
      return r.valid;
    } catch (err) {
      setIssues({ byNode: new Map(), general: [errorText(err)] });
      return false;
    }
  }

  async function saveNow(d: JourneyDefinition, force = false): Promise<boolean> {
    if (d.nodes.length === 0) return false;
    if (conflictRef.current && !force) return false;
    const mine = ++seq.current;
    setSaveState('saving');
    try {
      const path = `/v1/journeys/${encodeURIComponent(id)}`;
      const answer = exists.current
        ? await api.exchange<unknown>(
            'PUT',
            path,
            d,
            etag.current ? { 'if-match': etag.current } : {},
          )
        : await api.exchange<unknown>('POST', '/v1/journeys', { ...d, id });
      exists.current = true;
      lastSaved.current = d;
      const fresh = await api.exchange<JourneySummary>('GET', path);
      etag.current = answer.etag ?? fresh.etag;
      if (mine !== seq.current) return true;
      setSummary(fresh.body);
      const problems = problemsOf(answer.body);
      if (problems) setIssues(issuesToNodes(d, problems));
      else await validate(mine);
      if (mine === seq.current) setSaveState(current.current === d ? 'saved' : 'dirty');
      return true;
    } catch (err) {
      if (isConflict(err)) {
        conflictRef.current = { mine: d, seen: Date.now() };
        setConflict(conflictRef.current);
        if (mine === seq.current) setSaveState('conflict');
        return false;
      }
      if (mine !== seq.current) return false;
      setSaveState('error');
      if (err instanceof ApiError && err.issues.length) setIssues(issuesToNodes(d, err.issues));
      else setIssues({ byNode: new Map(), general: [errorText(err)] });
      return false;
    }
  }

  // Auto-save drafts a moment after the last edit (not while a conflict waits for a decision).
  useEffect(() => {
    if (readOnly || reloading || def === lastSaved.current || def.nodes.length === 0) return;
    if (conflict) {
      setSaveState('conflict');
      return;
    }
    setSaveState('dirty');
    const t = setTimeout(() => void save(def), 700);
    return () => clearTimeout(t);
  }, [def, readOnly, reloading, save, conflict]);

  /** The other person's copy, for "Compare". */
  async function theirs(): Promise<JourneyDefinition> {
    return (await api.get<JourneySummary>(`/v1/journeys/${encodeURIComponent(id)}`)).latest
      .definition;
  }

  /** Saves ours over theirs: only after the person chose it, knowing what differs. */
  async function overwrite(): Promise<boolean> {
    const { etag: tag } = await api.exchange<JourneySummary>(
      'GET',
      `/v1/journeys/${encodeURIComponent(id)}`,
    );
    etag.current = tag;
    conflictRef.current = null;
    setConflict(null);
    return saveNow(def, true);
  }

  const notSavedText = () =>
    conflictRef.current
      ? 'Someone else saved this journey meanwhile: reload theirs or compare before going on.'
      : 'The journey could not be saved: see the problems shown on the activities.';

  async function command(c: Command): Promise<void> {
    setBusy(true);
    setCommandError(null);
    try {
      if (!readOnly && def !== lastSaved.current && !(await save(def)))
        throw new Error(notSavedText());
      await api.post(`/v1/journeys/${encodeURIComponent(id)}/${c}`);
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(issuesToNodes(def, err.issues));
      setCommandError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  /** Test mode on a draft: only test profiles enter, waits and timeouts are shortened; no edits meanwhile. */
  async function setTestMode(enabled: boolean): Promise<boolean> {
    setBusy(true);
    setCommandError(null);
    try {
      if (enabled && def !== lastSaved.current && !(await save(def)))
        throw new Error(notSavedText());
      await api.post(`/v1/journeys/${encodeURIComponent(id)}/test-mode`, { enabled });
      await load();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(issuesToNodes(def, err.issues));
      setCommandError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** Dry run of the draft: real profiles and events, nothing sent, called or changed; no edits meanwhile. */
  async function setDryRun(enabled: boolean): Promise<boolean> {
    setBusy(true);
    setCommandError(null);
    try {
      if (enabled && def !== lastSaved.current && !(await save(def)))
        throw new Error(notSavedText());
      await api.post(`/v1/journeys/${encodeURIComponent(id)}/dry-run`, { enabled });
      await load();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(issuesToNodes(def, err.issues));
      setCommandError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** Why leaving now would lose work, or null: edits not yet saved, a save on its way, a conflict. */
  const unsaved = (): string | null => {
    if (readOnly) return null;
    if (conflictRef.current)
      return 'Someone else saved this journey meanwhile and your changes are not saved.';
    if (def !== lastSaved.current && def.nodes.length > 0)
      return 'Your latest changes to this journey are not saved yet.';
    return null;
  };

  return {
    setTestMode,
    setDryRun,
    conflict,
    theirs,
    overwrite,
    unsaved,
    def,
    summary,
    status,
    readOnly,
    loads,
    ready,
    saveState,
    issues,
    loadError,
    commandError,
    busy,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    reloading,
    edit: (d: JourneyDefinition, merge = false, base?: JourneyDefinition) => {
      if (!readOnly && !reloadingRef.current)
        dispatch({ kind: 'set', value: d, merge, ...(base ? { base } : {}) });
    },
    undo: () => {
      if (!reloadingRef.current) dispatch({ kind: 'undo' });
    },
    redo: () => {
      if (!reloadingRef.current) dispatch({ kind: 'redo' });
    },
    save: () =>
      conflictRef.current
        ? (setConflict({ ...conflictRef.current, seen: Date.now() }), Promise.resolve(false))
        : save(def),
    command,
    reload: load,
    clearCommandError: () => setCommandError(null),
  };
}
