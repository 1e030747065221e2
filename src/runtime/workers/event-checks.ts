// What an ingest worker does for a request's events, off the writer's thread: the envelope and
// schema checks and the fingerprints (src/runtime/ingest.ts), the same functions the writer's
// thread runs. The answer leaves the event out (the writer's side rebuilds it from the raw event it
// kept: no payload copied back), so a check made here and one made in process give the same
// EnvelopeCheck.
import type { IdentityNamespace } from '../../model/identity.ts';
import type { EventType } from '../../model/event-type.ts';
import { compileEventType } from '../event-schemas.ts';
import {
  acceptedEnvelope,
  checkEvent,
  eventFingerprint,
  type CheckCatalog,
  type EnvelopeCheck,
} from '../ingest.ts';

/** The id an event without one gets while it is checked ahead; the writer gives it its id, in order. */
export const ID_LATER = '\u0000later';

/** What a worker needs of a catalog to check events: plain data, compiled on its side. */
export interface CheckCatalogSpec {
  readonly sandbox: string;
  readonly namespaces: readonly IdentityNamespace[];
  readonly eventTypes: readonly EventType[];
}

export const checkCatalogSpec = (catalog: CheckCatalog): CheckCatalogSpec => ({
  sandbox: catalog.sandbox,
  namespaces: [...catalog.namespaces.values()],
  eventTypes: [...catalog.eventTypes.values()].map((t) => t.def),
});

export function compileCheckCatalog(spec: CheckCatalogSpec): CheckCatalog {
  return {
    sandbox: spec.sandbox,
    namespaces: new Map(spec.namespaces.map((n) => [n.code, n] as const)),
    eventTypes: new Map(spec.eventTypes.map((t) => [t.name, compileEventType(t)] as const)),
  };
}

/** One event checked ahead: its check without the event, and its fingerprint when it is accepted and came with an id. */
export type CheckedAhead =
  | {
      readonly ok: true;
      readonly identity: Extract<EnvelopeCheck, { ok: true }>['identity'];
      readonly fingerprint: string | null;
    }
  | Extract<EnvelopeCheck, { ok: false }>;

/** Checks a request's events as ingest does (`checkEvent` with the id left for later) and fingerprints the accepted ones. */
export function checkAhead(raws: readonly unknown[], catalog: CheckCatalog): CheckedAhead[] {
  return raws.map((raw, index) => {
    const check = checkEvent(raw, index, catalog, () => ID_LATER);
    if (!check.ok) return check;
    const withId = (raw as { id?: unknown }).id !== undefined;
    return {
      ok: true,
      identity: check.identity,
      fingerprint: withId ? eventFingerprint(check.event) : null,
    };
  });
}

/** The EnvelopeCheck of a raw event from what was checked ahead (the event rebuilt from the raw one). */
export function checkOf(raw: unknown, ahead: CheckedAhead): EnvelopeCheck {
  if (!ahead.ok) return ahead;
  const r = raw as Record<string, unknown>;
  return {
    ok: true,
    event: acceptedEnvelope(r, typeof r.id === 'string' ? r.id : ID_LATER),
    identity: ahead.identity,
  };
}
