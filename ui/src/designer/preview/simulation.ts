// What the preview simulates with, shared by the preview, the proof dialog and the side-by-side
// locales: the profile, its audiences and the sample events and action responses. One store per
// host (an email activity, a template), kept while the console is open so that closing the preview
// and sending a proof use the same data.
import { useSyncExternalStore } from 'react';
import type { Api } from '../../api/client.ts';
import { ApiError } from '../../api/client.ts';
import type { DesignerHost } from '../contracts.ts';
import type { PreviewProfile } from './render-request.ts';

export interface ChosenProfile {
  readonly id: string;
  /** How the profile is named in the picker (its first identity). */
  readonly label: string;
  readonly identity?: { readonly namespace: string; readonly id: string };
  readonly attributes: Record<string, unknown>;
}

export interface Simulation {
  readonly profile: ChosenProfile | null;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  /** Sample data as typed (JSON text per event type / action key): parsed when rendering. */
  readonly events: Readonly<Record<string, string>>;
  readonly actions: Readonly<Record<string, string>>;
  /** Where the samples came from, per key: 'test run', 'schema', 'response sample', 'typed'. */
  readonly origin: Readonly<Record<string, string>>;
  readonly prefilled: boolean;
}

const EMPTY: Simulation = {
  profile: null,
  audiences: {},
  events: {},
  actions: {},
  origin: {},
  prefilled: false,
};
const stores = new Map<string, { value: Simulation; listeners: Set<() => void> }>();

export const hostKey = (h: DesignerHost): string =>
  h.kind === 'journey-activity' ? `j:${h.journeyId}:${h.nodeId}` : `${h.kind}:${h.key}`;

function storeOf(key: string) {
  let s = stores.get(key);
  if (!s) {
    s = { value: EMPTY, listeners: new Set() };
    stores.set(key, s);
  }
  return s;
}

export function setSimulation(key: string, next: (s: Simulation) => Simulation): void {
  const s = storeOf(key);
  s.value = next(s.value);
  for (const l of s.listeners) l();
}

export function useSimulation(
  key: string,
): [Simulation, (next: (s: Simulation) => Simulation) => void] {
  const s = storeOf(key);
  const value = useSyncExternalStore(
    (l) => {
      s.listeners.add(l);
      return () => s.listeners.delete(l);
    },
    () => s.value,
  );
  return [value, (next) => setSimulation(key, next)];
}

/** Parsed sample data; a sample that is not valid JSON is reported and left out. */
export function parsedSamples(s: Simulation): {
  events: Record<string, unknown>;
  actions: Record<string, unknown>;
  problems: string[];
} {
  const problems: string[] = [];
  const parse = (m: Readonly<Record<string, string>>) =>
    Object.fromEntries(
      Object.entries(m).flatMap(([k, v]) => {
        if (v.trim() === '') return [];
        try {
          return [[k, JSON.parse(v) as unknown]];
        } catch (e) {
          problems.push(`${k}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
          return [];
        }
      }),
    );
  return { events: parse(s.events), actions: parse(s.actions), problems };
}

export const previewProfileOf = (s: Simulation): PreviewProfile =>
  s.profile ? { id: s.profile.id } : null;

/** POST with an AbortSignal (the console's client has none): same headers, same error shape. */
export async function postAbortable<T>(
  api: Api,
  path: string,
  body: unknown,
  signal: AbortSignal,
): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    signal,
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      'x-sandbox-name': api.conn.sandbox,
      'x-csrf-token': api.conn.csrfToken,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  if (!res.ok) {
    if (res.status === 401) api.conn.onSessionEnded?.();
    const e = (parsed as { error?: { code?: string; message?: string; issues?: [] } } | null)
      ?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'http_error',
      e?.message ?? `the server answered ${res.status}`,
      e?.issues ?? [],
    );
  }
  return parsed as T;
}
