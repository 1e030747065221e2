// The sandbox objects a journey refers to, loaded once per editor: the palette and panels read them.
import type { Api } from '../api/client.ts';
import type {
  ActionSpec,
  EventTypeSpec,
  JourneySummaryList,
  JsonSchema,
  StoredObject,
} from '../api/types.ts';

export interface Catalog {
  readonly eventTypes: ReadonlyArray<StoredObject<EventTypeSpec>>;
  readonly actions: ReadonlyArray<StoredObject<ActionSpec>>;
  readonly channelConfigurations: ReadonlyArray<StoredObject<{ channel: string; name: string }>>;
  readonly ruleSets: ReadonlyArray<StoredObject<{ name: string }>>;
  readonly audiences: ReadonlyArray<StoredObject<{ name: string }>>;
  readonly contentTemplates: ReadonlyArray<
    StoredObject<{
      name: string;
      channel?: string;
      content?: Record<string, unknown>;
      [k: string]: unknown;
    }>
  >;
  readonly languageSettings: ReadonlyArray<StoredObject<{ name?: string }>>;
  /** Decision policies: push and SMS content insert an offer decision naming one. */
  readonly decisionPolicies?: ReadonlyArray<
    StoredObject<{ name: string; placement: string; count?: number }>
  >;
  /** The sandbox's profile schema: types and completes profile fields in expressions. */
  readonly profileSchema?: JsonSchema;
  /** The sandbox's journeys (jump targets): id, name, whether one starts with an event and is live. */
  readonly journeys?: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly eventEntry: boolean;
    readonly live: boolean;
  }>;
}

export const EMPTY_CATALOG: Catalog = {
  eventTypes: [],
  actions: [],
  channelConfigurations: [],
  ruleSets: [],
  audiences: [],
  contentTemplates: [],
  languageSettings: [],
};

export async function loadCatalog(api: Api): Promise<Catalog> {
  const list = async <S>(kind: string) =>
    (await api.get<{ items: Array<StoredObject<S>> }>(`/v1/${kind}`).catch(() => ({ items: [] })))
      .items;
  const [
    eventTypes,
    actions,
    channelConfigurations,
    ruleSets,
    audiences,
    contentTemplates,
    languageSettings,
    profileSchemas,
    journeys,
    decisionPolicies,
  ] = await Promise.all([
    list<EventTypeSpec>('event-types'),
    list<ActionSpec>('actions'),
    list<{ channel: string; name: string }>('channel-configurations'),
    list<{ name: string }>('rule-sets'),
    list<{ name: string }>('audiences'),
    list<Catalog['contentTemplates'][number]['spec']>('content-templates'),
    list<{ name?: string }>('language-settings'),
    list<{ schema: JsonSchema }>('profile-schemas'),
    api
      .get<JourneySummaryList>('/v1/journeys')
      .then((r) => r.items)
      .catch(() => []),
    list<{ name: string; placement: string; count?: number }>('decision-policies'),
  ]);
  const profileSchema = profileSchemas[0]?.spec.schema;
  return {
    eventTypes,
    actions,
    channelConfigurations,
    ruleSets,
    audiences,
    contentTemplates,
    languageSettings,
    journeys: journeys.map((j) => ({
      id: j.id,
      name: j.name,
      eventEntry:
        (j.live ?? j.latest).definition.entry?.type !== 'audience' &&
        (j.live ?? j.latest).definition.entry?.type !== 'readAudience',
      live: j.live !== null,
    })),
    decisionPolicies,
    ...(profileSchema ? { profileSchema } : {}),
  };
}

/** The leaf fields of the profile schema as dot paths (`loyalty.tier`), with their types. */
export function profileFields(
  schema: JsonSchema | undefined,
  prefix = '',
): Array<{ path: string; type: string }> {
  const props = (schema as { properties?: Record<string, JsonSchema> } | undefined)?.properties;
  if (!props) return [];
  return Object.entries(props).flatMap(([k, s]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const type = (s as { type?: unknown }).type;
    if (type === 'object') return profileFields(s, path);
    if (type === 'array') return [];
    return [{ path, type: typeof type === 'string' ? type : 'any' }];
  });
}

/** A JSON Schema for a sample value (action response samples type `@action{…}`). */
export function schemaOfSample(v: unknown): JsonSchema {
  if (Array.isArray(v)) return { type: 'array', items: v.length ? schemaOfSample(v[0]) : {} };
  if (v === null) return {};
  if (typeof v === 'object')
    return {
      type: 'object',
      properties: Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, schemaOfSample(x)]),
      ),
    };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'integer' : 'number' };
  return { type: typeof v };
}

export function actionResponseSchema(a: ActionSpec): JsonSchema | undefined {
  const r = a.responseSample;
  if (!r) return undefined;
  // The model stores the response's JSON Schema as any object: read here as JSON Schema.
  return r.kind === 'jsonSchema' ? (r.schema as JsonSchema) : schemaOfSample(r.sample);
}

/** The variable fields a journey fills for an action: payload fields, headers and query parameters. */
export function actionVariables(
  a: ActionSpec,
): Array<{ name: string; type: string; optional: boolean }> {
  const out: Array<{ name: string; type: string; optional: boolean }> = [];
  for (const f of a.payload) {
    if (f.kind === 'variable') out.push({ name: f.path, type: f.type, optional: f.optional });
  }
  for (const p of [...a.headers, ...a.queryParameters]) {
    if (p.kind === 'variable') out.push({ name: p.name, type: 'string', optional: p.optional });
  }
  return out;
}

/** The expression scope for the journey's events and the sandbox's actions and audiences. */
export function expressionScope(c: Catalog, events: readonly string[]): Record<string, unknown> {
  const evs = new Set(events);
  return {
    events: Object.fromEntries(
      c.eventTypes
        .filter((e) => evs.size === 0 || evs.has(e.key))
        .map((e) => [e.key, e.spec.schema]),
    ),
    actions: Object.fromEntries(
      c.actions.map((a) => [a.key, actionResponseSchema(a.spec) ?? { type: 'object' }]),
    ),
    audiences: c.audiences.map((a) => a.key),
    ...(c.profileSchema ? { profile: c.profileSchema } : {}),
  };
}
