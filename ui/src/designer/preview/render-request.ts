// The pure parts of "Simulate content": which events and actions are upstream of an email activity,
// sample data for them (from a test run, a schema or a response sample), the body of POST /v1/render,
// the round-trip median, and what a failed render means in a marketer's words. No I/O here.
import { outgoingPaths, type JourneyDefinition } from '@waymark/shared/model/journey.ts';
import type { EmailContent } from '@waymark/shared/model/message-content.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
  format?: string;
  const?: unknown;
};

/** What the render can read of a journey's context at one activity. */
export interface Upstream {
  readonly events: readonly string[];
  readonly actions: readonly string[];
}

/** Event types and action keys of the activities that can come before `nodeId` (in journey order, each once). */
export function upstreamOf(
  def: Pick<JourneyDefinition, 'nodes' | 'start'>,
  nodeId: string,
): Upstream {
  const preds = new Map<string, string[]>();
  for (const n of def.nodes)
    for (const p of outgoingPaths(n))
      for (const to of p.next) preds.set(to, [...(preds.get(to) ?? []), n.id]);
  const seen = new Set<string>();
  const stack = [...(preds.get(nodeId) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(preds.get(id) ?? []));
  }
  const events: string[] = [];
  const actions: string[] = [];
  // Definition order reads like the journey (left to right), which is what the marketer sees.
  for (const n of def.nodes) {
    if (!seen.has(n.id)) continue;
    const r = n as unknown as Record<string, unknown>;
    if (n.kind === 'event' && typeof r['event'] === 'string' && !events.includes(r['event']))
      events.push(r['event']);
    if (n.kind === 'action' && typeof r['action'] === 'string' && !actions.includes(r['action']))
      actions.push(r['action']);
  }
  return { events, actions };
}

/** A plausible value for a JSON Schema: examples and defaults first, then a placeholder per type; arrays get one item. */
export function sampleFromSchema(s: Schema | undefined, name = 'value', depth = 0): Json {
  if (!s || depth > 8) return null;
  if (s.examples?.length) return s.examples[0] as Json;
  if (s.default !== undefined) return s.default as Json;
  if (s.const !== undefined) return s.const as Json;
  if (s.enum?.length) return s.enum[0] as Json;
  const t = Array.isArray(s.type)
    ? s.type.find((x) => x !== 'null')
    : (s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined));
  switch (t) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, sampleFromSchema(v, k, depth + 1)]),
      );
    case 'array':
      return [sampleFromSchema(s.items, name, depth + 1)];
    case 'integer':
      return 1;
    case 'number':
      return 9.99;
    case 'boolean':
      return true;
    case 'string':
      return s.format === 'date-time'
        ? '2026-01-01T10:00:00Z'
        : s.format === 'email'
          ? 'someone@example.com'
          : `${name}`;
    default:
      return null;
  }
}

/** An action's sample response: its responseSample's sample, or one generated from its schema. */
export function actionSample(spec: Record<string, unknown> | undefined): Json {
  const r = spec?.['responseSample'] as
    { kind?: string; sample?: unknown; schema?: Schema } | undefined;
  if (!r) return {};
  if (r.kind === 'jsonSchema') return sampleFromSchema(r.schema);
  return (r.sample ?? {}) as Json;
}

interface TraceLike {
  readonly entry: {
    readonly kind: string;
    readonly event?: string;
    readonly payload?: unknown;
    readonly action?: string;
    readonly response?: { readonly body: unknown } | null;
  };
}

/** The last payload of each event and the last response of each action in a test run's trace. */
export function samplesFromTrace(
  trace: readonly TraceLike[],
  up: Upstream,
): { events: Record<string, unknown>; actions: Record<string, unknown> } {
  const events: Record<string, unknown> = {};
  const actions: Record<string, unknown> = {};
  for (const { entry: e } of trace) {
    if (e.kind === 'event' && e.event !== undefined && up.events.includes(e.event))
      events[e.event] = e.payload;
    if (
      e.kind === 'actionResult' &&
      e.action !== undefined &&
      up.actions.includes(e.action) &&
      e.response
    )
      actions[e.action] = e.response.body;
  }
  return { events, actions };
}

/** Who the preview renders for: a stored profile by id, or attributes typed in. */
export type PreviewProfile =
  { readonly id: string } | { readonly attributes: Record<string, unknown> } | null;

export interface RenderRequestInput {
  readonly content: EmailContent;
  readonly profile: PreviewProfile;
  /** Audience memberships for a profile given as attributes; a stored profile's own are read by the server (as a send reads them). */
  readonly audiences?: Readonly<Record<string, 'realized' | 'exited'>>;
  readonly events?: Readonly<Record<string, unknown>>;
  readonly actions?: Readonly<Record<string, unknown>>;
  readonly configuration?: string;
}

export interface RenderRequestBody {
  content: EmailContent;
  profileId?: string;
  profile?: Record<string, unknown>;
  audiences?: Record<string, 'realized' | 'exited'>;
  context: { journey: { events: Record<string, unknown>; actions: Record<string, unknown> } };
  configuration?: string;
}

/** The body of POST /v1/render and /v1/render/proof (a proof adds `address`). */
export function buildRenderRequest(i: RenderRequestInput): RenderRequestBody {
  const body: RenderRequestBody = {
    content: i.content,
    context: { journey: { events: { ...(i.events ?? {}) }, actions: { ...(i.actions ?? {}) } } },
  };
  if (i.profile && 'id' in i.profile) body.profileId = i.profile.id;
  else if (i.profile) body.profile = i.profile.attributes;
  // With profileId the server reads the stored memberships itself (and answers usedAudiences): sending
  // ours would only risk a stale copy deciding the variants.
  if (!body.profileId && i.audiences && Object.keys(i.audiences).length)
    body.audiences = { ...i.audiences };
  if (i.configuration) body.configuration = i.configuration;
  return body;
}

/** The median of the last round trips (ms), rounded; null before the first. */
export function median(ms: readonly number[]): number | null {
  if (!ms.length) return null;
  const s = [...ms].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
}

/** A render that did not produce a message, said for a marketer. */
export function explainFailure(
  reason: string,
  message: string,
  limit?: { name?: string; max?: number; where?: { field?: string; line?: number } },
): { title: string; text: string } {
  switch (reason) {
    case 'no_locale':
      return {
        title: 'Not sent: no language for this profile',
        text: `This profile's preferred language matches none of the message's languages and there is no fallback language, so it would get no email. Pick another profile, or add a fallback language to the language settings. (${message})`,
      };
    case 'limit_exceeded':
      return {
        title: 'Too big to send',
        text: `The personalized email went over a limit${limit?.name ? ` (${limit.name}${limit.max !== undefined ? `, at most ${limit.max}` : ''})` : ''}${limit?.where?.field ? ` in ${limit.where.field}${limit.where.line ? `, line ${limit.where.line}` : ''}` : ''}. Usually a loop over a long list or a very large fragment: shorten it. (${message})`,
      };
    case 'invalid_content':
      return { title: 'The content has an error', text: `Fix it before previewing: ${message}` };
    case 'render_error':
    default:
      return {
        title: 'This profile cannot be personalized',
        text: `Personalization failed for this profile and sample data, so nothing would be sent: ${message}. Check that the sample data has the fields the email uses.`,
      };
  }
}

/** The audiences a profile is in, from GET /v1/profiles/:ns/:id/audiences (exited ones kept as exited). */
export function audienceMap(
  items: ReadonlyArray<{ audience: string; status: string }>,
): Record<string, 'realized' | 'exited'> {
  return Object.fromEntries(
    items
      .filter((i) => i.status === 'realized' || i.status === 'exited')
      .map((i) => [i.audience, i.status as 'realized' | 'exited']),
  );
}
