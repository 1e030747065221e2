// Public tracking endpoints (no API key: they are in people's mailboxes). Each token is signed and
// carries its own target, so a click can only lead where the message's link pointed; a tampered
// token gets a 400 and records nothing.
import type { FastifyInstance } from 'fastify';
import {
  OPEN_PIXEL_GIF,
  TRACKING_ROUTES,
  verifyClickToken,
  verifyOpenToken,
  verifyUnsubscribeToken,
} from '../../channels/tracking/index.ts';
import type { FeedbackService } from '../../runtime/feedback.ts';
import { SHORT_LINK_ROUTE } from '../../runtime/short-links.ts';
import {
  CONFIRM_PAGE,
  DONE_PAGE,
  INVALID_LINK,
  isOneClickBody,
  NOT_ONE_CLICK,
  SHORT_LINK_NOT_FOUND,
} from './unsubscribe-pages.ts';
import type { Logger } from '../../shared/logger.ts';

export function trackingRoutes(
  feedback: FeedbackService,
  secret: Uint8Array | string,
  log: Logger,
) {
  return async (f: FastifyInstance): Promise<void> => {
    const record = (claims: Parameters<FeedbackService['record']>[0]): void => {
      // The person gets the page at once; the feedback commits behind.
      feedback.record(claims).catch((e: unknown) =>
        log('warn', 'feedback not recorded', {
          error: e instanceof Error ? e.message : String(e),
        }),
      );
    };
    f.get<{ Params: { token: string } }>(
      `${TRACKING_ROUTES.click}:token`,
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const r = verifyClickToken(req.params.token, secret);
        if (!r.ok) return reply.status(400).type('text/plain').send('This link is not valid.');
        record(r.claims);
        return reply.redirect(r.claims.url, 302);
      },
    );
    // An SMS short link (src/runtime/short-links.ts): the code names a stored row, not a signed
    // token, so only a link Waymark shortened leads anywhere; unknown and expired codes get a page.
    f.get<{ Params: { code: string } }>(
      `${SHORT_LINK_ROUTE}:code`,
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const link = await feedback.shortLinkClick(req.params.code);
        if (link === null)
          return reply
            .status(404)
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(SHORT_LINK_NOT_FOUND);
        // A HEAD (a link checker's) is answered the same and records nothing.
        if (req.method !== 'HEAD')
          link.record().catch((e: unknown) =>
            log('warn', 'short link click not recorded', {
              error: e instanceof Error ? e.message : String(e),
            }),
          );
        return reply.header('cache-control', 'no-store').redirect(link.url, 302);
      },
    );
    f.get<{ Params: { token: string } }>(
      `${TRACKING_ROUTES.open}:token`,
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const r = verifyOpenToken(req.params.token.replace(/\.gif$/, ''), secret);
        if (r.ok) record(r.claims);
        return reply.type('image/gif').header('cache-control', 'no-store').send(OPEN_PIXEL_GIF);
      },
    );
    f.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, body, done) => done(null, body),
    );
    f.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, body),
    );
    // RFC 8058: only a POST carrying List-Unsubscribe=One-Click (a mail client's one-click, or the
    // confirmation page's button) withdraws consent. GET (and HEAD, which Fastify answers with the
    // GET route) shows the confirmation page and changes nothing: link scanners and mail prefetchers
    // open links without anyone asking.
    f.post<{ Params: { token: string } }>(
      `${TRACKING_ROUTES.unsubscribe}:token`,
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const r = verifyUnsubscribeToken(req.params.token, secret);
        if (!r.ok) return reply.status(400).type('text/plain; charset=utf-8').send(INVALID_LINK);
        if (!isOneClickBody(req.headers['content-type'], req.body))
          return reply.status(400).type('text/plain; charset=utf-8').send(NOT_ONE_CLICK);
        await feedback.record(r.claims);
        return reply
          .status(200)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(DONE_PAGE);
      },
    );
    f.get<{ Params: { token: string } }>(
      `${TRACKING_ROUTES.unsubscribe}:token`,
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) =>
        verifyUnsubscribeToken(req.params.token, secret).ok
          ? reply
              .type('text/html; charset=utf-8')
              .header('cache-control', 'no-store')
              .send(CONFIRM_PAGE)
          : reply.status(400).type('text/plain; charset=utf-8').send(INVALID_LINK),
    );
  };
}
