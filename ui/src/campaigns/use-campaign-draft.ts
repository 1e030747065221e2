// A campaign draft being edited: read once, every change saved by itself a moment after the last
// keystroke (and at once when the step changes), with the revision it was read at (If-Match). A
// conflict stops saving and says so; leaving with unsaved changes asks first. A reload loses nothing
// that was saved, and the save state is always on screen.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorText } from '../api/client.ts';
import { useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { campaignApi } from './campaign-api.ts';
import type { CampaignDef, CampaignView } from './campaign-api.ts';

export type SaveState =
  | { readonly kind: 'saved' }
  | { readonly kind: 'unsaved' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'error'; readonly message: string };

export interface CampaignDraft {
  readonly view: CampaignView | undefined;
  readonly def: CampaignDef | undefined;
  readonly loadError: string | null;
  readonly save: SaveState;
  /** Changes the definition; it is saved shortly after. */
  change(next: (d: CampaignDef) => CampaignDef): void;
  /** Saves now; resolves true when everything is stored. */
  flush(): Promise<boolean>;
  reload(): void;
}

const AUTOSAVE_MS = 600;

export function useCampaignDraft(id: string): CampaignDraft {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const [view, setView] = useState<CampaignView>();
  const [def, setDef] = useState<CampaignDef>();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'saved' });
  const [round, setRound] = useState(0);
  const etag = useRef('');
  const latest = useRef<CampaignDef | undefined>(undefined);
  const dirty = useRef(false);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopped = useRef(false);

  useEffect(() => {
    let live = true;
    calls.read(id).then(
      (s) => {
        if (!live) return;
        etag.current = s.etag;
        latest.current = s.view.definition;
        dirty.current = false;
        stopped.current = false;
        setView(s.view);
        setDef(s.view.definition);
        setSave({ kind: 'saved' });
        setLoadError(null);
      },
      (e: unknown) => {
        if (live) setLoadError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [calls, id, round]);

  const flush = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inFlight.current) await inFlight.current;
    if (!dirty.current) return true;
    if (stopped.current || !latest.current) return false;
    const sent = latest.current;
    dirty.current = false;
    setSave({ kind: 'saving' });
    const p = calls.update(id, sent, etag.current).then(
      (s) => {
        etag.current = s.etag;
        setView(s.view);
        if (!dirty.current) setSave({ kind: 'saved' });
        return !dirty.current;
      },
      (e: unknown) => {
        dirty.current = true;
        if (e instanceof ApiError && (e.status === 409 || e.status === 412)) {
          stopped.current = true;
          setSave({ kind: 'conflict' });
        } else setSave({ kind: 'error', message: errorText(e) });
        return false;
      },
    );
    inFlight.current = p;
    const ok = await p;
    inFlight.current = null;
    // Typed while the request was out: send that too.
    return ok && dirty.current ? flush() : ok;
  }, [calls, id]);

  const change = useCallback(
    (next: (d: CampaignDef) => CampaignDef) => {
      if (!latest.current) return;
      latest.current = next(latest.current);
      dirty.current = true;
      setDef(latest.current);
      if (!stopped.current) setSave({ kind: 'unsaved' });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [flush],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useLeaveGuard(() => (dirty.current ? 'The campaign has changes that are not saved yet.' : null));

  return {
    view,
    def,
    loadError,
    save,
    change,
    flush,
    reload: () => setRound((r) => r + 1),
  };
}

export function saveText(s: SaveState): string {
  switch (s.kind) {
    case 'saved':
      return 'Draft saved';
    case 'unsaved':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'conflict':
      return 'Someone else changed this campaign: reload to see their version';
    case 'error':
      return `Not saved: ${s.message}`;
  }
}
