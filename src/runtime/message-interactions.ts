// What a client reports about a message it shows (an in-app message displayed or clicked, a push
// notification opened or clicked), recorded in one unit of work: the feedback event on the
// profile (audiences and exports read it), the activity's report counter, and the reaction
// activity waiting for it, which moves on.
import { randomUUID } from 'node:crypto';
import type { FeedbackEvent } from '../channels/tracking/feedback.ts';
import { Metric } from '../journey/effects.ts';
import type { MessageReaction } from '../journey/reaction.ts';
import type { UnitOfWork } from './unit-of-work/index.ts';

/** The message as the delivery log or the in-app inbox knows it. */
export interface InteractedMessage {
  readonly id: string;
  readonly channel: FeedbackEvent['channel'] | 'inApp' | 'code';
  readonly journeyId: string | null;
  readonly version: number | null;
  readonly node: string | null;
}

/** The prefix of a per-link click counter's metric (the report's link table). */
export const LINK_METRIC_PREFIX = 'link:';

export type Interaction = 'opened' | 'clicked' | 'dismissed';

export interface InteractionRecord {
  readonly sandbox: string;
  readonly profileId: string;
  readonly message: InteractedMessage;
  readonly interaction: Interaction;
  /** Extra fields of the feedback event (the button, the link followed). */
  readonly details?: Readonly<Record<string, unknown>>;
}

const METRIC: Readonly<Record<Interaction, string | null>> = {
  opened: Metric.Opened,
  clicked: Metric.Clicked,
  dismissed: null,
};

export async function recordInteraction(
  uow: UnitOfWork,
  react: (uow: UnitOfWork, sandbox: string, reaction: MessageReaction) => Promise<boolean>,
  r: InteractionRecord,
): Promise<void> {
  const { sandbox, profileId, message } = r;
  const type = `message.${r.interaction}`;
  uow.recordEvent({
    sandbox,
    eventId: randomUUID(),
    type,
    profileId,
    payload: {
      type,
      channel: message.channel,
      messageId: message.id,
      profileId,
      ...(message.journeyId === null ? {} : { journeyId: message.journeyId }),
      ...(message.version === null ? {} : { journeyVersion: message.version }),
      ...(message.node === null ? {} : { activityId: message.node }),
      ...r.details,
      occurredAt: new Date(uow.now).toISOString(),
    },
    receivedAt: uow.now,
  });
  const metric = METRIC[r.interaction];
  if (metric === null || message.journeyId === null || message.version === null) return;
  if (message.node === null) return;
  uow.count(sandbox, message.journeyId, message.version, { node: message.node, metric });
  if (r.interaction !== 'dismissed')
    await react(uow, sandbox, {
      messageId: message.id,
      activity: message.node,
      reaction: r.interaction,
    });
}
