// The webhook events a unit of work holds, read before it commits: message feedback events
// (opened, clicked, unsubscribed, bounced, complained: recorded events), message log writes (sent,
// delivered, failed) and the report counters its steps moved (entered, exited, an activity
// reached, a timeout, an error).
import type { MessageRecord } from '../../store/ports.ts';
import type { WebhookEventType } from '../../model/webhook.ts';
import type { CounterDelta } from '../../journey/effects.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';

export interface WebhookEvent {
  readonly sandbox: string;
  readonly type: WebhookEventType;
  /** The journey it belongs to, if any (subscriptions may name journeys). */
  readonly journeyId: string | null;
  readonly occurredAt: number;
  readonly data: Readonly<Record<string, unknown>>;
}

const FEEDBACK = new Set<string>([
  'message.opened',
  'message.clicked',
  'message.unsubscribed',
  'message.bounced',
  'message.complained',
]);

const MESSAGE_STATUS: Partial<Record<MessageRecord['status'], WebhookEventType>> = {
  sent: 'message.sent',
  delivered: 'message.delivered',
  failed: 'message.failed',
};

function journeyType(e: CounterDelta): WebhookEventType | null {
  if (e.node === null) {
    if (e.metric === 'entered') return 'journey.entered';
    if (e.metric === 'exited' || e.metric === 'error') return 'journey.exited';
    return null;
  }
  if (e.metric === 'entered') return 'journey.activity';
  if (e.metric === 'timeout') return 'journey.timeout';
  if (e.metric === 'error') return 'journey.error';
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The sandboxes the unit's webhook events would belong to (a superset: no event is built). */
export function webhookSandboxesOf(uow: UnitOfWork): Set<string> {
  const out = new Set<string>();
  for (const e of uow.journeySteps) out.add(e.sandbox);
  for (const m of uow.recordedMessages()) out.add(m.sandbox);
  for (const e of uow.recordedEvents()) if (FEEDBACK.has(e.type)) out.add(e.sandbox);
  return out;
}

/** Every webhook event of the unit, in the order they happened within it. */
export function webhookEventsOf(uow: UnitOfWork): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  for (const step of uow.journeySteps)
    for (const e of step.counters) {
      const type = journeyType(e);
      if (!type) continue;
      out.push({
        sandbox: step.sandbox,
        type,
        journeyId: step.journeyId,
        occurredAt: step.at,
        data: {
          journeyId: step.journeyId,
          version: step.version,
          instanceId: step.instanceId,
          profileId: step.profileId,
          ...(e.node === null ? {} : { activityId: e.node }),
          ...(type === 'journey.exited' ? { reason: e.metric === 'error' ? 'error' : 'end' } : {}),
        },
      });
    }
  for (const m of uow.recordedMessages()) {
    const type = MESSAGE_STATUS[m.status];
    if (!type) continue;
    out.push({
      sandbox: m.sandbox,
      type,
      journeyId: m.journeyId,
      occurredAt: m.updatedAt,
      data: {
        messageId: m.id,
        channel: m.channel,
        profileId: m.profileId,
        recipient: m.recipient,
        journeyId: m.journeyId,
        version: m.version,
        activityId: m.node,
        status: m.status,
        reason: m.reason,
      },
    });
  }
  for (const e of uow.recordedEvents()) {
    if (!FEEDBACK.has(e.type)) continue;
    const payload = (e.payload ?? {}) as Record<string, unknown>;
    out.push({
      sandbox: e.sandbox,
      type: e.type as WebhookEventType,
      journeyId: str(payload.journeyId),
      occurredAt: e.receivedAt,
      data: { eventId: e.eventId, profileId: e.profileId, ...payload },
    });
  }
  return out;
}
