// Publish-time reference checks: the data a template reads, against the JSON Schemas in scope
// (the journey's events, its custom actions' responses, the profile). A schema that does not list
// properties (or allows additional ones) stops the check there: anything below it is accepted.
import { isRecord } from './functions/types.ts';

export interface ContentScope {
  /** Event schemas by event name (context.journey.events.<name>). */
  readonly events?: Readonly<Record<string, unknown>>;
  /** Action response schemas by action name (context.journey.actions.<name>). */
  readonly actions?: Readonly<Record<string, unknown>>;
  /** The profile schema (profile.*). */
  readonly profile?: unknown;
}

export type Resolution =
  | { readonly kind: 'schema'; readonly schema: unknown }
  | { readonly kind: 'open' }
  | { readonly kind: 'missing'; readonly at: string; readonly known: readonly string[] };

/** The schema at `segments` below `schema`; arrays are stepped through (a path over an array reads its items). */
export function resolve(schema: unknown, segments: readonly string[], prefix: string): Resolution {
  let cur: unknown = schema;
  let path = prefix;
  for (const seg of segments) {
    if (!isRecord(cur)) return { kind: 'open' };
    while (isRecord(cur) && cur['type'] === 'array' && isRecord(cur['items']) && !/^\d+$/.test(seg))
      cur = cur['items'];
    if (isRecord(cur) && cur['type'] === 'array') {
      cur = isRecord(cur['items']) ? cur['items'] : undefined;
      path += `.${seg}`;
      continue;
    }
    const props = isRecord(cur) ? cur['properties'] : undefined;
    if (!isRecord(props)) return { kind: 'open' };
    if (!Object.prototype.hasOwnProperty.call(props, seg)) {
      const additional = isRecord(cur) ? cur['additionalProperties'] : undefined;
      if (additional === true || isRecord(additional)) return { kind: 'open' };
      return { kind: 'missing', at: `${path}.${seg}`, known: Object.keys(props) };
    }
    cur = props[seg];
    path += `.${seg}`;
  }
  return { kind: 'schema', schema: cur };
}

/** The item schema of an array schema, for `#each ... as |item|`. */
export function itemsOf(schema: unknown): unknown {
  return isRecord(schema) && schema['type'] === 'array' ? schema['items'] : undefined;
}

export type RootCheck = { ok: true; schema?: unknown } | { ok: false; message: string };

/** Checks a path rooted at profile or context.journey against the scope. */
export function checkRooted(scope: ContentScope, parts: readonly string[]): RootCheck {
  const [head, ...rest] = parts;
  if (head === 'profile') {
    if (scope.profile === undefined) return { ok: true };
    return fromResolution(resolve(scope.profile, rest, 'profile'));
  }
  if (
    head === 'context' &&
    rest[0] === 'journey' &&
    (rest[1] === 'events' || rest[1] === 'actions') &&
    rest[2] !== undefined
  ) {
    const table = rest[1] === 'events' ? scope.events : scope.actions;
    if (table === undefined) return { ok: true };
    const name = rest[2];
    if (!Object.prototype.hasOwnProperty.call(table, name)) {
      return {
        ok: false,
        message: `no ${rest[1] === 'events' ? 'event' : 'action'} "${name}" in this journey (known: ${Object.keys(table).join(', ') || 'none'})`,
      };
    }
    return fromResolution(
      resolve(table[name], rest.slice(3), `context.journey.${rest[1]}.${name}`),
    );
  }
  return { ok: true };
}

function fromResolution(r: Resolution): RootCheck {
  if (r.kind === 'missing')
    return {
      ok: false,
      message: `"${r.at}" is not in the schema${r.known.length > 0 ? ` (known: ${r.known.slice(0, 12).join(', ')})` : ''}`,
    };
  return r.kind === 'schema' ? { ok: true, schema: r.schema } : { ok: true };
}
