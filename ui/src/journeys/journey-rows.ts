// The journeys list's rows: one request (GET /v1/journeys?include=counts) gives every journey with
// its totals; search and sort are pure functions over those rows.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { journeyListAnswer } from '@waymark/shared/api/journeys.ts';
import type { Api } from '../api/client.ts';

export interface Counts {
  readonly entered: number;
  readonly exited: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** One journey as lists show it (the server's list entry with ?include=counts). */
export interface JourneyRow {
  readonly id: string;
  readonly name: string;
  /** The latest version's status. */
  readonly status: string;
  readonly version: number;
  readonly liveVersion: number | null;
  readonly updatedAt: string;
  readonly counts: Counts | null;
}

export async function loadJourneyRows(api: Api): Promise<JourneyRow[]> {
  const r = await api.get<Answer<typeof journeyListAnswer>>('/v1/journeys?include=counts');
  return r.items.map((j) => ({
    id: j.id,
    name: j.name,
    status: j.status,
    version: j.latestVersion,
    liveVersion: j.liveVersion ?? null,
    updatedAt: j.updatedAt,
    counts: j.counts
      ? {
          entered: j.counts.entered ?? 0,
          exited: j.counts.exited ?? 0,
          errors: j.counts.errors ?? 0,
          timeouts: j.counts.timeouts ?? 0,
        }
      : null,
  }));
}

export type SortKey = 'name' | 'status' | 'version' | 'updated' | 'entered';
export interface Sort {
  readonly key: SortKey;
  readonly dir: 'asc' | 'desc';
}

const updatedOf = (j: JourneyRow) => Date.parse(j.updatedAt) || 0;

export function searchAndSort(
  rows: readonly JourneyRow[],
  q: string,
  status: string,
  sort: Sort,
): JourneyRow[] {
  const needle = q.trim().toLowerCase();
  const value = (j: JourneyRow): string | number => {
    switch (sort.key) {
      case 'name':
        return j.name.toLowerCase();
      case 'status':
        return j.status;
      case 'version':
        return j.version;
      case 'updated':
        return updatedOf(j);
      case 'entered':
        return j.counts?.entered ?? -1;
    }
  };
  return rows
    .filter(
      (j) =>
        (!needle || j.name.toLowerCase().includes(needle) || j.id.includes(needle)) &&
        (!status || j.status === status),
    )
    .sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
      return sort.dir === 'asc' ? c : -c;
    });
}

/** "3 minutes ago", "yesterday", or the date: a list's last-modified column. */
export function modifiedText(iso: string | undefined, now = Date.now()): string {
  const t = Date.parse(iso ?? '');
  if (!t) return '–';
  const s = Math.round((now - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) {
    const m = Math.round(s / 60);
    return `${m} minute${m === 1 ? '' : 's'} ago`;
  }
  if (s < 86_400) {
    const h = Math.round(s / 3600);
    return `${h} hour${h === 1 ? '' : 's'} ago`;
  }
  return new Date(t).toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
}
