// What one Segment call does in Waymark, decided without I/O: events to ingest, profile updates
// to apply (identify's traits, identities a call links), or nothing, with the reason. The caller
// applies the steps in order, so a batch's identify lands before the track that follows it.
import type { ProfileUpdate } from '../model/profile.ts';
import type { SegmentEventMapping, SegmentSource } from '../model/segment-source.ts';
import type { SegmentMessage } from './messages.ts';

export interface SegmentEvent {
  readonly id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly timestamp?: string;
}

export type SegmentStep =
  | { readonly kind: 'event'; readonly event: SegmentEvent }
  | {
      readonly kind: 'profile';
      readonly namespace: string;
      readonly id: string;
      readonly update: ProfileUpdate;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

export type SegmentPlan =
  | { readonly ok: true; readonly steps: readonly SegmentStep[] }
  | { readonly ok: false; readonly path: string; readonly message: string };

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** A dot path's value (`context.traits.email`, `products.0.sku`), own properties only. */
export function readPath(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || UNSAFE.has(part)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function writePath(into: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = into;
  for (const part of parts.slice(0, -1)) {
    if (UNSAFE.has(part)) return;
    const next = node[part];
    node = (node[part] =
      next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<
      string,
      unknown
    >;
  }
  const last = parts[parts.length - 1]!;
  if (!UNSAFE.has(last)) node[last] = value;
}

/** Target path → message path; fields the message lacks are left out. */
function mapFields(message: unknown, fields: Readonly<Record<string, string>>) {
  const out: Record<string, unknown> = {};
  for (const [target, from] of Object.entries(fields)) {
    const v = readPath(message, from);
    if (v !== undefined) writePath(out, target, v);
  }
  return out;
}

interface Identified {
  readonly namespace: string;
  readonly id: string;
}

/** The source's identities the message carries, in the source's order. */
function identitiesOf(source: SegmentSource, message: SegmentMessage): Identified[] {
  const found: Identified[] = [];
  for (const i of source.identities) {
    const v = readPath(message, i.from);
    const id = typeof v === 'number' ? String(v) : v;
    if (typeof id === 'string' && id.trim() !== '')
      found.push({ namespace: i.namespace, id: id.trim() });
  }
  return found;
}

const noIdentity = (source: SegmentSource): SegmentPlan => ({
  ok: false,
  path: 'userId',
  message: `none of the identities source "${source.id}" reads is in the message (${source.identities.map((i) => i.from).join(', ')})`,
});

/** A profile step that links the identities after the first to it; none for a single identity. */
function linkStep(ids: readonly Identified[]): SegmentStep[] {
  const [first, ...rest] = ids;
  if (!first || rest.length === 0) return [];
  return [
    {
      kind: 'profile',
      namespace: first.namespace,
      id: first.id,
      update: {
        attributes: {},
        identities: rest.map((r) => ({ namespace: r.namespace, id: r.id })),
      },
    },
  ];
}

function eventStep(
  mapping: SegmentEventMapping,
  message: SegmentMessage & { properties: Record<string, unknown> },
  id: string,
): SegmentStep {
  const payload = mapping.payload
    ? mapFields(message, mapping.payload)
    : {
        ...message.properties,
        ...(message.userId != null ? { userId: message.userId } : {}),
        ...(message.anonymousId != null ? { anonymousId: message.anonymousId } : {}),
      };
  return {
    kind: 'event',
    event: {
      id,
      type: mapping.eventType,
      payload,
      ...(message.timestamp ? { timestamp: message.timestamp } : {}),
    },
  };
}

/**
 * The steps of one call. `eventId` is the event's id: the message's messageId when it has one, so
 * that a pipeline's retry is a duplicate and not a second event.
 */
export function planSegmentMessage(
  source: SegmentSource,
  message: SegmentMessage,
  eventId: string,
): SegmentPlan {
  switch (message.type) {
    case 'track': {
      const ids = identitiesOf(source, message);
      if (ids.length === 0) return noIdentity(source);
      const mapping =
        source.track[message.event] ??
        (source.unmappedTrack ? { eventType: source.unmappedTrack } : undefined);
      const event: SegmentStep = mapping
        ? eventStep(mapping, message, eventId)
        : {
            kind: 'ignored',
            reason: `source "${source.id}" maps no track event "${message.event}" (and names no unmappedTrack type)`,
          };
      return { ok: true, steps: [...linkStep(ids), event] };
    }
    case 'page':
    case 'screen': {
      const ids = identitiesOf(source, message);
      if (ids.length === 0) return noIdentity(source);
      const mapping = source[message.type];
      const event: SegmentStep = mapping
        ? eventStep(mapping, message, eventId)
        : { kind: 'ignored', reason: `source "${source.id}" maps no ${message.type} calls` };
      return { ok: true, steps: [...linkStep(ids), event] };
    }
    case 'identify': {
      const ids = identitiesOf(source, message);
      const [first, ...rest] = ids;
      if (!first) return noIdentity(source);
      const attributes = source.traits ? mapFields(message, source.traits) : { ...message.traits };
      return {
        ok: true,
        steps: [
          {
            kind: 'profile',
            namespace: first.namespace,
            id: first.id,
            update: {
              attributes,
              identities: rest.map((r) => ({ namespace: r.namespace, id: r.id })),
            },
          },
        ],
      };
    }
    case 'alias': {
      // previousId is the identity the user had (anonymous, or an older userId); userId the new one.
      const userNs = source.identities.find((i) => i.from === 'userId')?.namespace;
      const previousNs =
        source.identities.find((i) => i.from === 'anonymousId')?.namespace ?? userNs;
      if (!userNs || !previousNs)
        return {
          ok: false,
          path: 'userId',
          message: `source "${source.id}" reads no identity from userId, so an alias cannot be linked`,
        };
      return {
        ok: true,
        steps: [
          {
            kind: 'profile',
            namespace: previousNs,
            id: String(message.previousId),
            update: {
              attributes: {},
              identities: [{ namespace: userNs, id: String(message.userId) }],
            },
          },
        ],
      };
    }
    case 'group':
      return {
        ok: true,
        steps: [{ kind: 'ignored', reason: 'group calls are not used by Waymark (no accounts)' }],
      };
    default: {
      const unknownCall: never = message;
      return { ok: false, path: 'type', message: `unknown call ${String(unknownCall)}` };
    }
  }
}
