// The server's answers the drawers and the personalization editor read, and the requests. The
// asset library and personalization routes (GET /v1/asset-library, /v1/personalization/...) are
// the designer's own; fragments come from the object route.
import { ApiError } from '../../api/client.ts';
import type { Api } from '../../api/client.ts';
import type { PersonalizationNode } from '../contracts.ts';

// The answers' types, inferred from the schemas the routes are held to (src/isomorphic/api).
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  facetSchema,
  libraryItemSchema,
  libraryPageAnswer,
  renditionChoiceSchema,
  renditionListAnswer,
} from '@waymark/shared/api/asset-library.ts';
import type {
  helperListAnswer,
  helperSchema,
  personalizationCheckAnswer,
  personalizationCompleteAnswer,
  personalizationDiagnosticSchema,
  personalizationTreeAnswer,
} from '@waymark/shared/api/personalization.ts';

export type Counted = Answer<typeof facetSchema>;
export type LibraryAsset = Answer<typeof libraryItemSchema>;
export type AssetLibrary = Answer<typeof libraryPageAnswer>;
/** A rendition to pick (the drawer's fallback choices have no preview URL). */
export type Rendition = Pick<Answer<typeof renditionChoiceSchema>, 'label' | 'spec' | 'url'>;
export type Helper = Answer<typeof helperSchema>;
export type Diagnostic = Answer<typeof personalizationDiagnosticSchema>;
export type Completion = Answer<typeof personalizationCompleteAnswer>['completions'][number];

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
    api.get<AssetLibrary>(`/v1/asset-library${qs(q)}`),
  renditions: (id: string) =>
    api
      .get<Answer<typeof renditionListAnswer>>(
        `/v1/asset-library/${encodeURIComponent(id)}/renditions`,
      )
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
      .get<Answer<typeof personalizationTreeAnswer>>(
        `/v1/personalization/tree${qs({ journeyId: w.journeyId, nodeId: w.nodeId })}`,
      )
      .then((r) => r.nodes),
  helpers: () =>
    api.get<Answer<typeof helperListAnswer>>('/v1/personalization/helpers').then((r) => r.items),
  validate: (source: string, w: Where) =>
    api.post<Answer<typeof personalizationCheckAnswer>>('/v1/personalization/validate', {
      source,
      ...w,
    }),
  /** `from`: where the completed word starts (each completion's insert replaces from..cursor). */
  complete: (source: string, cursor: number, w: Where) =>
    api.post<Answer<typeof personalizationCompleteAnswer>>('/v1/personalization/complete', {
      source,
      cursor,
      ...w,
    }),
});
export type LibraryApi = ReturnType<typeof libraryApi>;
