// Feedback from tracked messages: each open, click and unsubscribe becomes an experience event on
// the profile (message, journey, activity, link) and a report counter on the activity, committed
// together; an unsubscribe also withdraws the channel's marketing consent.
import { randomUUID } from 'node:crypto';
import { feedbackFromClaims, type TrackingClaims } from '../channels/tracking/index.ts';
import { Metric } from '../journey/effects.ts';
import { REACTION_OF_EVENT } from '../journey/reaction.ts';
import type { MessageRecord } from '../store/ports.ts';
import { recordPushInteraction, type PushInteraction } from './push-interactions.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import { deepMerge } from './paths.ts';
import { LINK_METRIC_PREFIX } from './message-interactions.ts';
import { followShortLink } from './short-links.ts';

export { LINK_METRIC_PREFIX } from './message-interactions.ts';

const metricOf = {
  click: Metric.Clicked,
  open: Metric.Opened,
  unsubscribe: Metric.Unsubscribed,
} as const;

export class FeedbackService {
  constructor(private readonly rt: RuntimeParts) {}

  /** A push notification opened or clicked, reported by the app (src/runtime/push-interactions.ts). */
  pushInteraction(sandbox: string, body: PushInteraction): Promise<void> {
    return recordPushInteraction(this.rt, sandbox, body);
  }

  /**
   * A click on an SMS short link (GET /s/:code): where it leads, or null for an unknown or expired
   * code; the click is recorded behind (src/runtime/short-links.ts).
   */
  shortLinkClick(code: string): ReturnType<typeof followShortLink> {
    return followShortLink(this.rt, code);
  }

  record(claims: TrackingClaims): Promise<void> {
    const sandbox = claims.sandbox ?? 'prod';
    return this.rt.writer.exclusive(async (turn) => {
      const uow = turn.unit();
      const profile = await uow.profile(sandbox, claims.profileId);
      if (!profile) return;
      const event = feedbackFromClaims(claims, uow.now);
      uow.recordEvent({
        sandbox,
        eventId: randomUUID(),
        type: event.type,
        profileId: profile.id,
        payload: event,
        receivedAt: uow.now,
      });
      if (claims.journeyId && claims.journeyVersion !== undefined && claims.activityId) {
        uow.count(sandbox, claims.journeyId, claims.journeyVersion, {
          node: claims.activityId,
          metric: metricOf[claims.kind],
        });
        // Per-link clicks, for the report's link table (and "create audience" from a cell).
        if (claims.kind === 'click')
          uow.count(sandbox, claims.journeyId, claims.journeyVersion, {
            node: claims.activityId,
            metric: `${LINK_METRIC_PREFIX}${claims.url}` as Metric,
          });
      }
      // A reaction activity waiting for this open or click moves the instance on, in this unit.
      const reaction = REACTION_OF_EVENT[event.type];
      if (reaction && claims.activityId)
        await this.rt.engine.react(uow, sandbox, {
          messageId: claims.messageId,
          activity: claims.activityId,
          reaction,
        });
      if (claims.kind === 'unsubscribe') {
        uow.putProfile(sandbox, {
          ...profile,
          attributes: deepMerge(profile.attributes, {
            consents: { marketing: { [claims.channel]: 'n' } },
          }),
          updatedAt: new Date(uow.now).toISOString(),
        });
      }
      await turn.commit(uow);
    });
  }

  /** A provider's delivery receipt (Twilio's status callback): the message log moves to delivered or failed. */
  deliveryReceipt(
    message: MessageRecord,
    status: 'delivered' | 'failed',
    reason: string | null,
  ): Promise<void> {
    return this.rt.writer.run(async (uow) => {
      uow.message({ ...message, status, reason, updatedAt: uow.now });
    });
  }
}
