// Twilio webhooks (public, signed with the account's auth token): inbound messages, whose STOP and
// START keywords change the sender's SMS consent, and delivery status callbacks.
import type { FastifyInstance } from 'fastify';
import { parseInboundKeyword, parseTwilioInbound, verifyTwilioSignature } from '../../channels/sms/index.ts';
import type { SmsConfiguration } from '../../model/channel-configuration.ts';
import { normalizeIdentity } from '../../model/identity.ts';
import type { Waymark } from '../../runtime/app.ts';
import { deepMerge } from '../../runtime/paths.ts';

type Params = { Params: { sandbox: string; configuration: string } };

export function smsWebhookRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
    f.post<Params>('/webhooks/twilio/:sandbox/:configuration/inbound', { schema: { hide: true } }, async (req, reply) => {
      const stored = (await app.engine.catalogs.get(req.params.sandbox)).configurations.get(req.params.configuration);
      if (!stored || stored.channel !== 'sms') return reply.status(404).type('text/plain').send('unknown SMS configuration');
      const config = app.objects.secrets.open('channelConfiguration', stored) as SmsConfiguration;
      const params = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      if (!verifyTwilioSignature(config.twilio.authToken, `${app.publicUrl}${req.url}`, params, signature)) return reply.status(403).type('text/plain').send('bad signature');
      const inbound = parseTwilioInbound(params);
      if (!inbound) return reply.status(400).type('text/plain').send('not a Twilio inbound message');
      const keyword = parseInboundKeyword(inbound.body);
      if (keyword?.kind === 'consent') {
        const profileId = await app.engine.store.findProfileId(req.params.sandbox, 'Phone', normalizeIdentity('phone', inbound.from));
        if (profileId) await app.profiles.patchById(req.params.sandbox, profileId, (a) => deepMerge(a, { consents: { marketing: { sms: keyword.consent === 'out' ? 'n' : 'y' } } }));
      }
      return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    });
  };
}
