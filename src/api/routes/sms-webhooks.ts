// Twilio webhooks (public, signed with the account's auth token): inbound messages, whose STOP and
// START keywords change the sender's SMS consent, and delivery status callbacks.
import type { FastifyInstance } from 'fastify';
import {
  parseInboundKeyword,
  parseTwilioInbound,
  parseTwilioStatusCallback,
  verifyTwilioSignature,
} from '../../channels/sms/index.ts';
import type { ChannelConfiguration, SmsConfiguration } from '../../model/channel-configuration.ts';
import { sandboxNameSchema } from '../../model/common.ts';
import { normalizeIdentity } from '../../model/identity.ts';
import type { Waymark } from '../../runtime/app.ts';
import { deepMerge } from '../../runtime/paths.ts';

type Params = { Params: { sandbox: string; configuration: string } };

export function smsWebhookRoutes(app: Waymark) {
  // The configuration is read straight from the store, not through the sandbox catalogs: nothing
  // about a sandbox is loaded or kept for a request until its signature is proven. An unknown
  // sandbox or configuration answers like a bad signature, so the route tells nothing either.
  const verified = async (
    p: Params['Params'],
    url: string,
    params: URLSearchParams,
    signature: string | string[] | undefined,
  ): Promise<boolean> => {
    if (
      typeof signature !== 'string' ||
      signature === '' ||
      !sandboxNameSchema.safeParse(p.sandbox).success
    )
      return false;
    const stored = await app.reads.getObject<ChannelConfiguration>(
      p.sandbox,
      'channelConfiguration',
      p.configuration,
    );
    if (!stored || stored.body.channel !== 'sms') return false;
    let config: SmsConfiguration;
    try {
      config = app.objects.secrets.open('channelConfiguration', stored.body) as SmsConfiguration;
    } catch {
      return false;
    }
    // A configuration sending through another provider has no Twilio token: nothing verifies.
    if (config.twilio === undefined) return false;
    return verifyTwilioSignature(
      config.twilio.authToken,
      `${app.publicUrl}${url}`,
      params,
      signature,
    );
  };
  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, new URLSearchParams(body as string)),
    );
    f.post<Params>(
      '/webhooks/twilio/:sandbox/:configuration/inbound',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const params = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
        if (!(await verified(req.params, req.url, params, req.headers['x-twilio-signature'])))
          return reply.status(403).type('text/plain').send('bad signature');
        const inbound = parseTwilioInbound(params);
        if (!inbound)
          return reply.status(400).type('text/plain').send('not a Twilio inbound message');
        const keyword = parseInboundKeyword(inbound.body);
        if (keyword?.kind === 'consent') {
          const profileId = await app.reads.findProfileId(
            req.params.sandbox,
            'Phone',
            normalizeIdentity('phone', inbound.from),
          );
          if (profileId)
            await app.profiles.patchById(req.params.sandbox, profileId, (a) =>
              deepMerge(a, {
                consents: { marketing: { sms: keyword.consent === 'out' ? 'n' : 'y' } },
              }),
            );
        }
        return reply
          .type('text/xml')
          .send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      },
    );

    // Delivery receipts: Twilio's status callback moves the message log to delivered or failed.
    f.post<Params>(
      '/webhooks/twilio/:sandbox/:configuration/status',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const params = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
        if (!(await verified(req.params, req.url, params, req.headers['x-twilio-signature'])))
          return reply.status(403).type('text/plain').send('bad signature');
        const callback = parseTwilioStatusCallback(params);
        if (!callback)
          return reply.status(400).type('text/plain').send('not a Twilio status callback');
        const status: 'delivered' | 'failed' | null =
          callback.status === 'delivered' || callback.status === 'read'
            ? 'delivered'
            : callback.status === 'failed' || callback.status === 'undelivered'
              ? 'failed'
              : null;
        const message = status
          ? await app.reads.messageByProviderId(req.params.sandbox, 'sms', callback.messageSid)
          : null;
        if (message && status) {
          await app.feedback.deliveryReceipt(
            message,
            status,
            status === 'failed' ? `twilio ${callback.errorCode ?? callback.status}` : null,
          );
        }
        return reply.status(204).send();
      },
    );
  };
}
