// The object pages' requests: list, read, save with the revision it was based on (If-Match), who
// uses an object, archive and unarchive.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { archiveAnswer, referencesAnswer } from '@waymark/shared/api/references.ts';
import type { Api } from '../api/client.ts';
import type { StoredObject } from '../api/types.ts';
import type { ObjectKind } from '../app/menu.ts';

export interface ListedObject extends StoredObject {
  readonly archived?: boolean;
  /** When the server says so in the list; otherwise learnt from /references. */
  readonly inUse?: boolean;
}

/** Who uses an object, as `GET /v1/{kind}/{key}/references` answers (src/isomorphic/api). */
export type References = Answer<typeof referencesAnswer>;
/** Someone (or something) that uses an object. */
export type Reference = References['items'][number];

const path = (kind: ObjectKind, key: string) => `/v1/${kind}/${encodeURIComponent(key)}`;

/** The ETag of a revision, as the server's answers carry it. */
export const etagOf = (revision: number): string => `"r${revision}"`;

export const objectApi = (api: Api) => ({
  list: (kind: ObjectKind) =>
    api.get<{ items: ListedObject[] }>(`/v1/${kind}`).then((r) => r.items),
  get: (kind: ObjectKind, key: string) => api.get<StoredObject>(path(kind, key)),
  /** Null when there is no such object. */
  find: (kind: ObjectKind, key: string) => api.get<StoredObject>(path(kind, key)).catch(() => null),
  create: (kind: ObjectKind, spec: unknown) =>
    api.post<StoredObject & { status: string }>(`/v1/${kind}`, spec),
  /** Replaces the object only if `revision` is still the stored one (409 version_conflict otherwise). */
  save: (kind: ObjectKind, key: string, spec: unknown, revision: number | null) =>
    api.request<StoredObject & { status: string }>(
      'PUT',
      path(kind, key),
      spec,
      revision === null ? {} : { 'if-match': etagOf(revision) },
    ),
  remove: (kind: ObjectKind, key: string) => api.del(path(kind, key)),
  references: (kind: ObjectKind, key: string) =>
    api.get<References>(`${path(kind, key)}/references`),
  archive: (kind: ObjectKind, key: string, archived: boolean) =>
    api.post<Answer<typeof archiveAnswer>>(
      `${path(kind, key)}/${archived ? 'archive' : 'unarchive'}`,
    ),
});

const ROUTE_OF: Record<string, string> = {
  namespace: 'namespaces',
  profileSchema: 'profile-schemas',
  eventType: 'event-types',
  action: 'actions',
  channelConfiguration: 'channel-configurations',
  ruleSet: 'rule-sets',
  fragment: 'fragments',
  contentTemplate: 'content-templates',
  audience: 'audiences',
  asset: 'assets',
  languageSettings: 'language-settings',
  offer: 'offers',
  placement: 'placements',
  decisionPolicy: 'decision-policies',
  segmentSource: 'segment-sources',
};

/** Where the console shows a user: a journey's canvas, an object's page. */
export function hrefOf(r: { kind: string; key: string }): string {
  if (r.kind === 'journey') return `/journeys/${encodeURIComponent(r.key)}`;
  const route = ROUTE_OF[r.kind];
  return route ? `/objects/${route}/${encodeURIComponent(r.key)}` : '#';
}

const KIND_WORDS: Record<string, string> = {
  journey: 'journey',
  namespace: 'identity namespace',
  profileSchema: 'profile schema',
  eventType: 'event',
  action: 'custom action',
  channelConfiguration: 'channel configuration',
  ruleSet: 'business rules',
  fragment: 'fragment',
  contentTemplate: 'content template',
  audience: 'audience',
  asset: 'asset',
  languageSettings: 'language settings',
  offer: 'offer',
  placement: 'placement',
  decisionPolicy: 'decision policy',
  segmentSource: 'Segment source',
};
export const kindWord = (kind: string): string => KIND_WORDS[kind] ?? kind;

/** "Purchase Journey v1 (live)", "fragment Order content". */
export function describeReference(r: Reference): string {
  if (r.kind === 'journey') return `${r.name} v${r.version ?? '?'} (${r.status ?? 'unknown'})`;
  return `${kindWord(r.kind)} ${r.name}`;
}
