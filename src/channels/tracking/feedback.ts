import type { TrackingClaims } from './tokens.ts';

// The feedback event a verified tracking token turns into, recorded on the profile (message id,
// journey, activity, link) for audiences, reports and journeys.

export interface FeedbackEvent {
  readonly type:
    | 'message.opened'
    | 'message.clicked'
    | 'message.unsubscribed'
    | 'message.bounced'
    | 'message.complained';
  readonly channel: 'email' | 'sms' | 'push' | 'inApp' | 'code';
  readonly messageId: string;
  readonly profileId: string;
  readonly journeyId?: string;
  readonly journeyVersion?: number;
  readonly activityId?: string;
  readonly link?: { readonly id: string; readonly url: string };
  /** What the provider answered (bounces). */
  readonly reason?: string;
  /** ISO-8601. */
  readonly occurredAt: string;
}

export function feedbackFromClaims(claims: TrackingClaims, occurredAt: number): FeedbackEvent {
  const base = {
    messageId: claims.messageId,
    profileId: claims.profileId,
    ...(claims.journeyId === undefined ? {} : { journeyId: claims.journeyId }),
    ...(claims.journeyVersion === undefined ? {} : { journeyVersion: claims.journeyVersion }),
    ...(claims.activityId === undefined ? {} : { activityId: claims.activityId }),
    occurredAt: new Date(occurredAt).toISOString(),
  };
  switch (claims.kind) {
    case 'click':
      return {
        ...base,
        type: 'message.clicked',
        channel: 'email',
        link: { id: claims.linkId, url: claims.url },
      };
    case 'open':
      return { ...base, type: 'message.opened', channel: 'email' };
    case 'unsubscribe':
      return { ...base, type: 'message.unsubscribed', channel: claims.channel };
    default: {
      const never: never = claims;
      return never;
    }
  }
}

/** The feedback event of a message its provider refused for good (an SMTP 5xx): audiences of bounced profiles read it. */
export function bounceFeedback(
  message: {
    readonly id: string;
    readonly profileId: string;
    readonly channel: FeedbackEvent['channel'];
    readonly journeyId: string | null;
    readonly version: number | null;
    readonly node: string | null;
    readonly reason: string | null;
  },
  occurredAt: number,
): FeedbackEvent {
  return {
    type: 'message.bounced',
    channel: message.channel,
    messageId: message.id,
    profileId: message.profileId,
    ...(message.journeyId === null ? {} : { journeyId: message.journeyId }),
    ...(message.version === null ? {} : { journeyVersion: message.version }),
    ...(message.node === null ? {} : { activityId: message.node }),
    ...(message.reason === null ? {} : { reason: message.reason }),
    occurredAt: new Date(occurredAt).toISOString(),
  };
}
