// The server's answers the drawers and the personalization editor read, and the requests. The
// asset library and personalization routes (GET /v1/asset-library, /v1/personalization/...) are
// the designer's own; fragments come from the object route.
import { ApiError } from '../../api/client.ts';
import type { Api } from '../../api/client.ts';
import type { PersonalizationNode } from '../contracts.ts';

// The asset selector's answers are the server's own types (src/content is pure: safe to import here).
import type {
  Facet,
  LibraryItem,
  LibraryPage,
  RenditionChoice,
} from '@waymark/shared/content/asset-search.ts';
export type { Facet as Counted, LibraryItem as LibraryAsset, LibraryPage as AssetLibrary };
/** A rendition to pick (the drawer's fallback choices have no preview URL). */
export type Rendition = Pick<RenditionChoice, 'label' | 'spec' | 'url'>;

export interface Helper {
  readonly name: string;
  readonly category: string;
  readonly signature: string;
  readonly help: string;
  readonly example?: string;
  readonly block?: boolean;
}
export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}
export interface Completion {
  readonly label: string;
  readonly insert: string;
  readonly detail?: string;
}

/** The scope of a message used in a journey activity (events and action responses upstream). */
export interface Where {
  readonly journeyId?: string;
  readonly nodeId?: string;
}

const qs = (o: Record<string, string | undefined>): string => {
  const parts = Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

export const libraryApi = (api: Api) => ({
  assets: (q: { q?: string; tag?: string; collection?: string }) =>
    api.get<LibraryPage>(`/v1/asset-library${qs(q)}`),
  renditions: (id: string) =>
    api
      .get<{ items: Rendition[] }>(`/v1/asset-library/${encodeURIComponent(id)}/renditions`)
      .then((r) => r.items),
  upload: (
    id: string,
    file: Blob,
    meta: { name: string; collection: string; tags: readonly string[] },
  ) =>
    api.upload<unknown>(
      `/v1/assets/${encodeURIComponent(id)}/content${qs({ name: meta.name, collection: meta.collection, tags: meta.tags.join(',') })}`,
      file,
    ),
  /** Whether an asset has this id (an upload to it would add a version, not a new asset). */
  assetExists: (id: string) =>
    api.get<unknown>(`/v1/assets/${encodeURIComponent(id)}`).then(
      () => true,
      (e: unknown) => (e instanceof ApiError && e.status === 404 ? false : Promise.reject(e)),
    ),
  fragments: () =>
    api
      .get<{ items: Array<{ key: string; spec: Record<string, unknown>; archived?: boolean }> }>(
        '/v1/fragments',
      )
      .then((r) => r.items),
  tree: (w: Where) =>
    api
      .get<{ nodes: PersonalizationNode[] }>(
        `/v1/personalization/tree${qs({ journeyId: w.journeyId, nodeId: w.nodeId })}`,
      )
      .then((r) => r.nodes),
  helpers: () => api.get<{ items: Helper[] }>('/v1/personalization/helpers').then((r) => r.items),
  validate: (source: string, w: Where) =>
    api.post<{ valid: boolean; diagnostics: Diagnostic[] }>('/v1/personalization/validate', {
      source,
      ...w,
    }),
  /** `from`: where the completed word starts (each completion's insert replaces from..cursor). */
  complete: (source: string, cursor: number, w: Where) =>
    api.post<{ from?: number; completions: Completion[] }>('/v1/personalization/complete', {
      source,
      cursor,
      ...w,
    }),
});
export type LibraryApi = ReturnType<typeof libraryApi>;
