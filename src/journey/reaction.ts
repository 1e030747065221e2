// Reactions (AJO's "Reactions"): which feedback a reaction activity can wait for on each channel,
// and whether a piece of feedback answers a given reaction. Pure.
import type { MessageNode, ReactionKind, ReactionNode } from '../model/journey.ts';

/**
 * The feedback each channel produces here: every send is logged as sent (or bounced); email is
 * tracked (the open pixel and rewritten links), SMS links too when shortened; apps report push opens and clicks, and the site's
 * SDK in-app displays and clicks.
 */
export const REACTIONS_BY_CHANNEL: Readonly<Record<MessageNode['kind'], readonly ReactionKind[]>> =
  {
    email: ['sent', 'opened', 'clicked', 'bounced'],
    // The app reports a notification opened or clicked (POST /v1/push/interactions).
    push: ['sent', 'opened', 'clicked'],
    // Tracked SMS configurations shorten links (GET /s/:code records the click).
    sms: ['sent', 'clicked'],
    // The SDK reports in-app displays (opened) and button clicks (POST /v1/inapp/interactions).
    inApp: ['sent', 'opened', 'clicked'],
    codeBased: ['sent'],
  };

/** Feedback on one message, as the runtime hands it to the step function. */
export interface MessageReaction {
  /** The message's id: `${instanceId}:${seq}`, so feedback finds its instance. */
  readonly messageId: string;
  /** The message activity that sent it. */
  readonly activity: string;
  readonly reaction: ReactionKind;
}

/** The instance a message belongs to (message ids derive from the instance id). */
export function instanceOfMessage(messageId: string): string | null {
  const i = messageId.lastIndexOf(':');
  return i > 0 ? messageId.slice(0, i) : null;
}

export function answers(node: ReactionNode, r: MessageReaction, instanceId: string): boolean {
  return (
    node.message === r.activity &&
    node.reaction === r.reaction &&
    instanceOfMessage(r.messageId) === instanceId
  );
}

/** The feedback event types that map to a reaction. */
export const REACTION_OF_EVENT: Readonly<Record<string, ReactionKind>> = {
  'message.opened': 'opened',
  'message.clicked': 'clicked',
  'message.bounced': 'bounced',
};
