// A reaction activity's reaction in words, as the channel of the message it reacts to calls it:
// shared by the reaction panel (its choices) and the activity on the canvas (its second line).
import type { ReactionNode } from '@waymark/shared/model/journey.ts';

const REACTION_LABEL: Record<ReactionNode['reaction'], string> = {
  sent: 'Message sent',
  opened: 'Email opened',
  clicked: 'Email clicked',
  bounced: 'Message bounced',
};

/** An SMS's link clicks (its short links) and a push notification's taps. */
const SMS_LABEL: Partial<Record<ReactionNode['reaction'], string>> = {
  clicked: 'SMS link clicked',
};
const PUSH_LABEL: Partial<Record<ReactionNode['reaction'], string>> = {
  opened: 'Push notification opened',
  clicked: 'Push notification clicked',
};

/** An in-app message's feedback, as the site's SDK reports it. */
const IN_APP_LABEL: Partial<Record<ReactionNode['reaction'], string>> = {
  opened: 'In-app message displayed',
  clicked: 'In-app button clicked',
};

/** Every reaction, in the order the panel offers them when no message is chosen. */
export const REACTIONS = Object.keys(REACTION_LABEL) as ReactionNode['reaction'][];

/** The channel of a message activity, in words. */
export const CHANNEL_LABEL: Record<string, string> = {
  email: 'email',
  sms: 'SMS',
  push: 'push',
  inApp: 'in-app',
  codeBased: 'code-based',
};

/** A reaction in words for a message activity of `kind` (e.g. "Email clicked", "SMS link clicked"). */
export const reactionLabel = (kind: string | undefined, r: ReactionNode['reaction']): string =>
  (kind === 'inApp'
    ? IN_APP_LABEL[r]
    : kind === 'sms'
      ? SMS_LABEL[r]
      : kind === 'push'
        ? PUSH_LABEL[r]
        : undefined) ?? REACTION_LABEL[r];
