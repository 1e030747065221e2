// Outbox items as stored: a kind, a format version `v` and the effect the step issued, decoded
// from the row here, at the port. The `kind` column names the kind; the `payload` JSON holds the
// effect with `v` beside its fields. Rows written before versions were kept have no `v` (format 0,
// the same effect fields) and read as format 1. A completed send's outcome (`sent_outcome`) is
// decoded here too.
import { z } from 'zod';
import type { Effect } from '../../journey/effects.ts';
import type { ActionResult } from '../../journey/step.ts';
import type { TracedRequest } from '../../journey/trace.ts';
import { badStoredField, undecodable } from './decode-error.ts';

/** The format version of outbox records written now. */
export const OUTBOX_FORMAT = 1;

export type CallActionEffect = Extract<Effect, { readonly kind: 'callAction' }>;
export type SendMessageEffect = Extract<Effect, { readonly kind: 'sendMessage' }>;
export type OutboxEffect = CallActionEffect | SendMessageEffect;

/** What an outbox row carries besides its bookkeeping (ids, attempts, times). */
export type OutboxRecord =
  | {
      readonly kind: 'callAction';
      readonly v: typeof OUTBOX_FORMAT;
      readonly payload: CallActionEffect;
    }
  | {
      readonly kind: 'sendMessage';
      readonly v: typeof OUTBOX_FORMAT;
      readonly payload: SendMessageEffect;
    };
export type OutboxKind = OutboxRecord['kind'];

/** A JSON object kept as it came (parameters and contexts are the journey's data: not copied, not trimmed). */
const jsonObject = z.custom<Readonly<Record<string, unknown>>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'expected a JSON object' },
);

const callAction = z.object({
  kind: z.literal('callAction'),
  callId: z.string().min(1),
  node: z.string(),
  action: z.string(),
  parameters: jsonObject,
  timeoutMs: z.number(),
});
const sendMessage = z.object({
  kind: z.literal('sendMessage'),
  messageId: z.string().min(1),
  node: z.string(),
  channel: z.enum(['email', 'push', 'sms', 'inApp', 'code']),
  label: z.string(),
  configuration: z.string(),
  ruleSet: z.string().optional(),
  category: z.enum(['marketing', 'transactional']),
  context: z.object({ events: jsonObject, actions: jsonObject }),
});
/** The effect in the `payload` column (its `v`, when present, is read apart). */
export const outboxEffectSchema = z.discriminatedUnion('kind', [callAction, sendMessage]);
// The schema and the journey's effect types must agree both ways.
type Decoded = z.infer<typeof outboxEffectSchema>;
const agrees: [
  OutboxEffect extends Decoded ? true : false,
  Decoded extends OutboxEffect ? true : false,
] = [true, true];
void agrees;

/** The record of an effect the step issued. */
export function outboxRecordOf(effect: OutboxEffect): OutboxRecord {
  return effect.kind === 'callAction'
    ? { kind: 'callAction', v: OUTBOX_FORMAT, payload: effect }
    : { kind: 'sendMessage', v: OUTBOX_FORMAT, payload: effect };
}

/** The `payload` column's value: the effect with the format version beside its fields. */
export const encodeOutboxPayload = (r: OutboxRecord): Readonly<Record<string, unknown>> =>
  Object.assign({}, r.payload, { v: r.v });

/** Decodes the `kind` and `payload` columns of outbox row `id`; throws a WaymarkError saying where, what, and what came. */
export function decodeOutboxRecord(id: string, kind: string, payload: unknown): OutboxRecord {
  const v =
    typeof payload === 'object' && payload !== null ? (payload as { v?: unknown }).v : undefined;
  if (v !== undefined && v !== OUTBOX_FORMAT)
    throw badStoredField(
      'outbox',
      id,
      'payload.v',
      'an outbox format this version of Waymark does not know',
      `${OUTBOX_FORMAT} or none`,
      v,
    );
  const parsed = outboxEffectSchema.safeParse(payload);
  if (!parsed.success) throw undecodable('outbox', id, 'payload', parsed.error, payload);
  const effect: OutboxEffect = parsed.data;
  if (effect.kind !== kind)
    throw badStoredField(
      'outbox',
      id,
      'kind',
      'the kind column and the effect (payload.kind) disagree',
      JSON.stringify(effect.kind),
      kind,
    );
  return outboxRecordOf(effect);
}

/** A completed send's outcome as recorded (`sent_outcome`), before the journey takes it; `M` is the delivery log's record. */
export type SentOutcome<M> =
  /** `traced`: test mode only, what the debugger shows of the call. */
  | {
      readonly kind: 'actionResult';
      readonly result: ActionResult;
      readonly traced?: { readonly request: TracedRequest | null; readonly durationMs: number };
      /** How long the call took (absent on outcomes recorded before it was kept, and when the action no longer existed). */
      readonly durationMs?: number;
    }
  | { readonly kind: 'message'; readonly record: M };

/**
 * A completed send's outcome as read back. A message's record is written into the delivery log
 * (`messages`) by the mark itself and the outcome names it (`messageStored`), so that its rendered
 * body is written once, not into the outbox row and again into the log; outcomes recorded before
 * that carry the whole record (`message`).
 */
export type RecordedOutcome<M> =
  SentOutcome<M> | { readonly kind: 'messageStored'; readonly messageId: string };

/** The delivery log records that these sent marks write (their messages'). */
export const sentMessageRecords = <M>(
  marks: ReadonlyArray<{ readonly outcome: SentOutcome<M> }>,
): M[] => marks.flatMap((m) => (m.outcome.kind === 'message' ? [m.outcome.record] : []));

/** What the mark of a send stores in `sent_outcome`: a message's record goes to the delivery log instead. */
export function storedOutcome<M extends { readonly id: string }>(
  outcome: SentOutcome<M>,
): RecordedOutcome<M> {
  return outcome.kind === 'message'
    ? { kind: 'messageStored', messageId: outcome.record.id }
    : outcome;
}

const actionResult = z.union([
  z.object({ ok: z.literal(true), status: z.number(), body: z.unknown() }),
  z.object({
    ok: z.literal(false),
    code: z.string(),
    message: z.string(),
    errorResponse: z.unknown().optional(),
  }),
]);
const sentOutcome = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('actionResult'),
    result: actionResult,
    traced: z.object({ request: z.unknown(), durationMs: z.number() }).optional(),
    durationMs: z.number().optional(),
  }),
  z.object({ kind: z.literal('messageStored'), messageId: z.string() }),
  z.object({
    kind: z.literal('message'),
    record: z.custom<{ readonly id: string }>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string',
      { message: 'expected a message record' },
    ),
  }),
]);

/**
 * Decodes a recorded outcome of outbox row `id`. The delivery log's record and the traced request
 * (test mode) inside are checked for their shape only: they are written and read back within one
 * delivery (seconds), by the code that shows them.
 */
export function decodeSentOutcome<M>(id: string, outcome: unknown): RecordedOutcome<M> {
  const parsed = sentOutcome.safeParse(outcome);
  if (!parsed.success) throw undecodable('outbox', id, 'sent_outcome', parsed.error, outcome);
  return parsed.data as RecordedOutcome<M>;
}
