// Browser subscriptions for Web Push, and the opens and clicks of push notifications that apps and
// sites report (POST /v1/push/interactions). A site's page asks for a push configuration's VAPID public
// key, subscribes with the browser's PushManager and posts the subscription here with the
// visitor's identity; it becomes an entry of the profile's push details (platform "web", the token
// is the endpoint), which push activities then reach. Authenticated like events: a key with
// events.ingest (the site's write key), in the key's sandbox.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import type { PushConfiguration } from '../../model/channel-configuration.ts';
import { MAX_IDENTITY_LENGTH } from '../../model/identity.ts';
import { ErrorCode, notFound, WaymarkError } from '../../errors.ts';
import type { Answer } from '../../isomorphic/api/answer.ts';
import type { pushInteractionAnswer } from '../../isomorphic/api/in-app.ts';
import { pushInteractionSchema } from '../../runtime/push-interactions.ts';
import { openApi, parseInput } from './request-input.ts';
import { sandboxOf } from '../context.ts';

const tags = ['push'];

const base64urlBytes = (bytes: number, what: string) =>
  z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64url').length === bytes,
      `${what}: ${bytes} bytes in base64url`,
    );

const subscriptionSchema = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .describe("The push service's URL for this browser (PushSubscription.endpoint)."),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      p256dh: base64urlBytes(65, "the browser's P-256 public key"),
      auth: base64urlBytes(16, 'the authentication secret'),
    }),
  })
  .describe('PushSubscription.toJSON(), as the browser gives it.');

const identitySchema = {
  namespace: z.string().min(1).max(60),
  id: z.string().min(1).max(MAX_IDENTITY_LENGTH),
  configuration: z.string().min(1).max(100),
};
const subscribeBody = z.object({ ...identitySchema, subscription: subscriptionSchema }).strict();
const unsubscribeBody = z.object({ ...identitySchema, endpoint: z.string().min(1).max(2_000) });
type Params = { Params: { configuration: string } };

export function webPushRoutes(app: Waymark) {
  // The configuration must exist, be for push and have Web Push settings.
  const webConfiguration = async (sandbox: string, name: string): Promise<PushConfiguration> => {
    const stored = await app.reads.getObject<PushConfiguration>(
      sandbox,
      'channelConfiguration',
      name,
    );
    if (!stored || stored.body.channel !== 'push') throw notFound('push configuration', name);
    if (stored.body.webPush === undefined)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `the push configuration "${name}" has no Web Push settings (a VAPID key pair)`,
        {
          issues: [
            {
              path: 'configuration',
              message: 'give the configuration Web Push settings first',
              expected: 'a push configuration with webPush',
              received: name,
            },
          ],
        },
      );
    return stored.body;
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get<Params>(
      '/push/web/:configuration/key',
      {
        schema: {
          tags,
          summary: "A push configuration's VAPID public key (the browser's applicationServerKey)",
        },
        config: { permission: 'events.ingest' },
      },
      async (req) => {
        const config = await webConfiguration(sandboxOf(req), req.params.configuration);
        return { publicKey: config.webPush!.publicKey, appId: config.appId };
      },
    );

    f.post(
      '/push/web/subscriptions',
      {
        schema: {
          tags,
          summary: "A browser's push subscription added to (or renewed on) a profile",
          body: openApi(subscribeBody),
        },
        config: { permission: 'events.ingest' },
      },
      async (req, reply) => {
        const sandbox = sandboxOf(req);
        const body = parseInput(subscribeBody, req.body, 'body');
        const config = await webConfiguration(sandbox, body.configuration);
        const { endpoint, keys } = body.subscription;
        const profile = await app.profiles.editPushTokens(sandbox, body.namespace, body.id, (t) => [
          ...t.filter((e) => e['token'] !== endpoint),
          { appId: config.appId, platform: 'web', token: endpoint, keys: { ...keys } },
        ]);
        return reply.status(201).send({ profileId: profile.id, token: endpoint });
      },
    );

    f.post(
      '/push/interactions',
      {
        schema: {
          tags,
          summary:
            'A push notification opened or clicked, as the app reports it (message feedback: a reaction activity on opened or clicked moves on)',
          body: openApi(pushInteractionSchema),
        },
        config: { permission: 'events.ingest' },
      },
      async (req, reply) => {
        const body = parseInput(pushInteractionSchema, req.body, 'body');
        await app.feedback.pushInteraction(sandboxOf(req), body);
        const answer: Answer<typeof pushInteractionAnswer> = { recorded: true };
        return reply.status(202).send(answer);
      },
    );

    f.post(
      '/push/web/unsubscribe',
      {
        schema: {
          tags,
          summary: "A browser's push subscription withdrawn from a profile",
          body: openApi(unsubscribeBody),
        },
        config: { permission: 'events.ingest' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const body = parseInput(unsubscribeBody, req.body, 'body');
        await webConfiguration(sandbox, body.configuration);
        await app.profiles.get(sandbox, body.namespace, body.id); // 404 for an unknown visitor
        let removed = false;
        await app.profiles.editPushTokens(sandbox, body.namespace, body.id, (t) => {
          const kept = t.filter((e) => e['token'] !== body.endpoint);
          removed = kept.length < t.length;
          return kept;
        });
        return { removed };
      },
    );
  };
}
