// Public tracking endpoints (no API key: they are in people's mailboxes). Each token is signed and
// carries its own target, so a click can only lead where the message's link pointed; a tampered
// token gets a 400 and records nothing.
import type { FastifyInstance } from 'fastify';
import { OPEN_PIXEL_GIF, TRACKING_ROUTES, verifyClickToken, verifyOpenToken, verifyUnsubscribeToken } from '../../channels/tracking/index.ts';
import type { FeedbackService } from '../../runtime/feedback.ts';

export function trackingRoutes(feedback: FeedbackService, secret: Uint8Array | string, log: (message: string, e: unknown) => void) {
  return async (f: FastifyInstance): Promise<void> => {
    const record = (claims: Parameters<FeedbackService['record']>[0]): void => {
      // The person gets the page at once; the feedback commits behind.
      feedback.record(claims).catch((e: unknown) => log('feedback not recorded', e));
    };
    f.get<{ Params: { token: string } }>(`${TRACKING_ROUTES.click}:token`, { schema: { hide: true } }, async (req, reply) => {
      const r = verifyClickToken(req.params.token, secret);
      if (!r.ok) return reply.status(400).type('text/plain').send('This link is not valid.');
      record(r.claims);
      return reply.redirect(r.claims.url, 302);
    });
    f.get<{ Params: { token: string } }>(`${TRACKING_ROUTES.open}:token`, { schema: { hide: true } }, async (req, reply) => {
      const r = verifyOpenToken(req.params.token.replace(/\.gif$/, ''), secret);
      if (r.ok) record(r.claims);
      return reply.type('image/gif').header('cache-control', 'no-store').send(OPEN_PIXEL_GIF);
    });
    const unsubscribe = async (token: string): Promise<boolean> => {
      const r = verifyUnsubscribeToken(token, secret);
      if (!r.ok) return false;
      await feedback.record(r.claims);
      return true;
    };
    f.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, body));
    // RFC 8058: mail clients POST "List-Unsubscribe=One-Click"; a person clicking the link GETs it.
    f.post<{ Params: { token: string } }>(`${TRACKING_ROUTES.unsubscribe}:token`, { schema: { hide: true } }, async (req, reply) =>
      (await unsubscribe(req.params.token)) ? reply.status(200).type('text/plain').send('Unsubscribed.') : reply.status(400).type('text/plain').send('This link is not valid.'));
    f.get<{ Params: { token: string } }>(`${TRACKING_ROUTES.unsubscribe}:token`, { schema: { hide: true } }, async (req, reply) =>
      (await unsubscribe(req.params.token)) ? reply.type('text/html').send('<!doctype html><p>You are unsubscribed. You will not receive these messages any more.</p>') : reply.status(400).type('text/plain').send('This link is not valid.'));
  };
}
