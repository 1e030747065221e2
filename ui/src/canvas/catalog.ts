// The sandbox objects a journey refers to, loaded once per editor: the palette and panels read them.
import type { Api } from '../api/client.ts';
import type { ActionSpec, EventTypeSpec, JsonSchema, StoredObject } from '../api/types.ts';

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
    decisionPolicies,
    ...(profileSchema ? { profileSchema } : {}),
  };
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
