// Event ingestion: envelope and schema checks with field-level errors, idempotency on the event id,
// identity resolution. Bounds hold whatever the event type's schema says: numbers are finite,
// integers safe (payload-bounds.ts), identity values at most MAX_IDENTITY_LENGTH characters. Events that fail are kept as dead letters with the reason.
import { hash } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import type { ErrorIssue } from '../errors.ts';
import { MAX_IDENTITY_LENGTH, normalizeIdentity } from '../model/identity.ts';
import { canonicalJsonUtf8 } from '../shared/canonical-json.ts';
import type { SandboxCatalog } from './catalog.ts';
import { nonFiniteNumbers } from './payload-bounds.ts';
import { readPath } from './paths.ts';

export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly timestamp?: string;
}

export type EnvelopeCheck =
  | {
      readonly ok: true;
      readonly event: EventEnvelope;
      readonly identity: { readonly namespace: string; readonly value: string };
    }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 422;
      readonly message: string;
      readonly issues: readonly ErrorIssue[];
      readonly eventId: string | null;
      readonly eventType: string | null;
    };

/**
 * What tells a resend from a different event under the same id: the SHA-256 of the event's type,
 * payload and timestamp (if it gave one) as canonical JSON, so key order does not matter.
 */
export function eventFingerprint(event: Omit<EventEnvelope, 'id'>): string {
  const text = canonicalJsonUtf8({
    type: event.type,
    payload: event.payload,
    timestamp: event.timestamp,
  });
  return hash('sha256', text, 'base64url');
}

/** A business event sent from test mode is stored with this before its fingerprint: a fleet's read shares leave it alone. */
export const TEST_BUSINESS_FINGERPRINT = 'test:';

/** What checking an event reads of the sandbox's catalog (an ingest worker holds only this). */
export type CheckCatalog = Pick<SandboxCatalog, 'sandbox' | 'namespaces' | 'eventTypes'>;

/**
 * The envelope of a raw event that passed its checks: its id (or `eventId` when it came without
 * one), type, payload and timestamp, taken from the raw event as they are.
 */
export function acceptedEnvelope(raw: Record<string, unknown>, eventId: string): EventEnvelope {
  return {
    id: eventId,
    type: raw.type as string,
    payload: raw.payload as Record<string, unknown>,
    ...(typeof raw.timestamp === 'string' ? { timestamp: raw.timestamp } : {}),
  };
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

type Failed = Extract<EnvelopeCheck, { ok: false }>;
type PayloadChecked = {
  readonly ok: true;
  readonly r: Record<string, unknown>;
  readonly eventId: string;
  readonly eventType: string;
  readonly type: NonNullable<ReturnType<CheckCatalog['eventTypes']['get']>>;
  readonly payload: Record<string, unknown>;
};

/** Whether a raw event names a business event type of the catalog (no identity: ingest.ts routes it apart). */
export function isBusinessEvent(raw: unknown, catalog: CheckCatalog): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' && catalog.eventTypes.get(type)?.def.business === true;
}

/** A business event that passed its envelope and schema checks: it belongs to no profile. */
export type BusinessCheck = { readonly ok: true; readonly event: EventEnvelope } | Failed;

/** Checks one raw business event: its envelope and its event type's JSON Schema; no identity. */
export function checkBusinessEvent(
  raw: unknown,
  index: number,
  catalog: CheckCatalog,
  newId: () => string,
): BusinessCheck {
  const c = checkPayload(raw, index, catalog, newId);
  if (!c.ok) return c;
  return { ok: true, event: acceptedEnvelope(c.r, c.eventId) };
}

/** Checks one raw event against its envelope and its event type's JSON Schema. */
export function checkEvent(
  raw: unknown,
  index: number,
  catalog: CheckCatalog,
  newId: () => string,
): EnvelopeCheck {
  const at = `events[${index}]`;
  const c = checkPayload(raw, index, catalog, newId);
  if (!c.ok) return c;
  const { r, eventId, eventType, type, payload } = c;
  const identity = type.def.identity;
  if (!identity)
    return {
      ok: false,
      status: 422,
      message: `${eventType} is a business event: it belongs to no profile and is sent on its own`,
      issues: [
        {
          path: `${at}.type`,
          message: 'a business event',
          expected: 'an event type with a profile identity',
          received: eventType,
        },
      ],
      eventId,
      eventType,
    };

  const idValue = readPath(payload, identity.path);
  if (typeof idValue !== 'string' || idValue.trim() === '') {
    return {
      ok: false,
      status: 422,
      message: `the profile identifier is missing at ${identity.path}`,
      issues: [
        {
          path: `${at}.payload.${identity.path}`,
          message: 'the profile identifier is required',
          expected: `a non-empty ${identity.namespace} string`,
          received: describe(idValue),
        },
      ],
      eventId,
      eventType,
    };
  }
  const tooLong = [
    ...(idValue.length > MAX_IDENTITY_LENGTH
      ? [identityTooLong(`${at}.payload.${identity.path}`, idValue)]
      : []),
    ...identityMapTooLong(payload, catalog, `${at}.payload`),
  ];
  if (tooLong.length > 0)
    return {
      ok: false,
      status: 422,
      message: `an identity value is longer than ${MAX_IDENTITY_LENGTH} characters`,
      issues: tooLong,
      eventId,
      eventType,
    };
  const ns = catalog.namespaces.get(identity.namespace);
  const value = normalizeIdentity(ns?.kind ?? 'custom', idValue);
  return {
    ok: true,
    event: acceptedEnvelope(r, eventId!),
    identity: { namespace: identity.namespace, value },
  };
}

function checkPayload(
  raw: unknown,
  index: number,
  catalog: CheckCatalog,
  newId: () => string,
): PayloadChecked | Failed {
  const at = `events[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      status: 400,
      message: 'an event must be a JSON object',
      issues: [{ path: at, message: 'not an object', expected: 'object', received: describe(raw) }],
      eventId: null,
      eventType: null,
    };
  }
  const r = raw as Record<string, unknown>;
  const eventId =
    typeof r.id === 'string' && r.id.length > 0 && r.id.length <= 200
      ? r.id
      : r.id === undefined
        ? newId()
        : null;
  const eventType = typeof r.type === 'string' ? r.type : null;
  const issues: ErrorIssue[] = [];
  if (eventId === null)
    issues.push({
      path: `${at}.id`,
      message: 'the event id must be a string of 1 to 200 characters',
      expected: 'string',
      received: describe(r.id),
    });
  if (eventType === null)
    issues.push({
      path: `${at}.type`,
      message: 'the event type is required',
      expected: 'string',
      received: describe(r.type),
    });
  if (typeof r.payload !== 'object' || r.payload === null || Array.isArray(r.payload))
    issues.push({
      path: `${at}.payload`,
      message: 'the payload must be an object',
      expected: 'object',
      received: describe(r.payload),
    });
  if (
    r.timestamp !== undefined &&
    (typeof r.timestamp !== 'string' || Number.isNaN(Date.parse(r.timestamp)))
  )
    issues.push({
      path: `${at}.timestamp`,
      message: 'the timestamp must be an ISO-8601 date-time',
      expected: 'date-time',
      received: String(r.timestamp),
    });
  if (issues.length > 0)
    return {
      ok: false,
      status: 400,
      message: 'the event envelope is invalid',
      issues,
      eventId,
      eventType,
    };

  const type = catalog.eventTypes.get(eventType!);
  if (!type)
    return {
      ok: false,
      status: 404,
      message: `the event type "${eventType}" does not exist in sandbox "${catalog.sandbox}"`,
      issues: [
        {
          path: `${at}.type`,
          message: 'unknown event type',
          expected: [...catalog.eventTypes.keys()].join(' | ') || 'a defined event type',
          received: String(eventType),
        },
      ],
      eventId,
      eventType,
    };
  const payload = r.payload as Record<string, unknown>;
  const outOfRange = nonFiniteNumbers(payload, `${at}.payload`);
  if (outOfRange.length > 0)
    return {
      ok: false,
      status: 422,
      message: `the payload of ${eventType} holds numbers out of range`,
      issues: outOfRange,
      eventId,
      eventType,
    };
  if (!type.validate(payload)) {
    return {
      ok: false,
      status: 422,
      message: `the payload does not match the schema of ${eventType}`,
      issues: (type.validate.errors ?? []).map((e) => schemaIssue(`${at}.payload`, e, payload)),
      eventId,
      eventType,
    };
  }
  return { ok: true, r, eventId: eventId!, eventType: eventType!, type, payload };
}

const identityTooLong = (path: string, value: string): ErrorIssue => ({
  path,
  message: 'the identity value is too long',
  expected: `at most ${MAX_IDENTITY_LENGTH} characters`,
  received: `${value.length} characters`,
});

/** Identity values too long in the payload's XDM identity map (`identityMap: { Email: [{ id }] }`), in the sandbox's namespaces. */
function identityMapTooLong(
  payload: Record<string, unknown>,
  catalog: CheckCatalog,
  prefix: string,
): ErrorIssue[] {
  const map = Object.hasOwn(payload, 'identityMap') ? payload['identityMap'] : undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return [];
  const issues: ErrorIssue[] = [];
  for (const [ns, list] of Object.entries(map)) {
    if (!catalog.namespaces.has(ns) || !Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      const id =
        typeof item === 'object' && item !== null
          ? (item as Record<string, unknown>)['id']
          : undefined;
      if (typeof id === 'string' && id.length > MAX_IDENTITY_LENGTH)
        issues.push(identityTooLong(`${prefix}.identityMap.${ns}[${i}].id`, id));
    });
  }
  return issues;
}

function schemaIssue(prefix: string, e: ErrorObject, payload: unknown): ErrorIssue {
  const pointer = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing =
    e.keyword === 'required'
      ? String((e.params as { missingProperty?: string }).missingProperty)
      : null;
  const path = [prefix, ...pointer, ...(missing ? [missing] : [])].join('.');
  const value = pointer.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    payload,
  );
  const expected =
    e.keyword === 'type'
      ? String((e.params as { type?: unknown }).type)
      : e.keyword === 'format'
        ? String((e.params as { format?: unknown }).format)
        : e.keyword === 'enum'
          ? JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)
          : e.keyword === 'maximum' || e.keyword === 'minimum'
            ? `${String((e.params as { comparison?: unknown }).comparison)} ${String((e.params as { limit?: unknown }).limit)}`
            : undefined;
  return {
    path,
    message: missing ? 'is required' : (e.message ?? e.keyword),
    ...(expected ? { expected } : {}),
    received: missing
      ? 'nothing'
      : describe(value) === 'string' || describe(value) === 'number'
        ? JSON.stringify(value)
        : describe(value),
  };
}
