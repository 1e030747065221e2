// A push notification opened or clicked, as the app (or the site's service worker) reports it:
// every push carries its message id in the notification's data (`waymarkMessageId`), and the
// app posts it back with the visitor's identity (POST /v1/push/interactions). Recorded like an
// email open or click: feedback on the profile, the activity's counter, a waiting reaction.
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { MAX_IDENTITY_LENGTH } from '../model/identity.ts';
import { recordInteraction } from './message-interactions.ts';
import type { RuntimeParts } from './runtime-parts.ts';

/** The key of a push notification's data that names its message. */
export const PUSH_MESSAGE_ID_KEY = 'waymarkMessageId';

export const pushInteractionSchema = z
  .object({
    namespace: z.string().min(1).max(60).describe('The identity namespace, e.g. Email.'),
    id: z.string().min(1).max(MAX_IDENTITY_LENGTH).describe("The user's identity in it."),
    messageId: z
      .string()
      .min(1)
      .max(300)
      .describe(`The notification's data.${PUSH_MESSAGE_ID_KEY}`),
    interaction: z
      .enum(['opened', 'clicked'])
      .describe('opened: the notification opened the app; clicked: one of its actions'),
    action: z.string().min(1).max(100).optional().describe('The action (button) clicked'),
  })
  .strict();

export type PushInteraction = z.infer<typeof pushInteractionSchema>;

export async function recordPushInteraction(
  rt: Pick<RuntimeParts, 'store' | 'writer' | 'engine'>,
  sandbox: string,
  body: PushInteraction,
): Promise<void> {
  const profileId = await rt.store.findProfileId(sandbox, body.namespace, body.id);
  const message = profileId === null ? null : await rt.store.messageById(sandbox, body.messageId);
  // Another profile's message is as unknown as one that does not exist.
  if (profileId === null || message === null || message.profileId !== profileId)
    throw new WaymarkError(
      ErrorCode.NotFound,
      `push message "${body.messageId}" does not exist for this user`,
    );
  if (message.channel !== 'push')
    throw new WaymarkError(
      ErrorCode.BadRequest,
      `body.messageId: a push message, got a message of the ${message.channel} channel`,
      {
        issues: [
          {
            path: 'body.messageId',
            message: 'not a push message',
            expected: 'push',
            received: message.channel,
          },
        ],
      },
    );
  await rt.writer.exclusive(async (turn) => {
    const uow = turn.unit();
    await recordInteraction(uow, (u, sb, reaction) => rt.engine.react(u, sb, reaction), {
      sandbox,
      profileId,
      message,
      interaction: body.interaction,
      details: body.action === undefined ? {} : { action: body.action },
    });
    await turn.commit(uow);
  });
}
