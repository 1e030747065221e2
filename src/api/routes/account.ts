// What people do before they are signed in: accept an invitation by choosing a password, and reset a
// forgotten password through a one-time link sent by email. Asking for a reset always answers 202,
// whether or not the email has an account, and at once (the email goes out afterwards), so neither
// the answer nor its timing tells which emails have accounts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { resetEmail, sendAccountEmail } from '../../runtime/access/directory/account-email.ts';
import { openApi, parseInput } from './request-input.ts';
import { silentLogger, type Logger } from '../../shared/logger.ts';

const acceptBody = z
  .object({ token: z.string().min(1).max(200), password: z.string().max(1024) })
  .strict();
const resetBody = z.object({ email: z.string().trim().min(1).max(254) }).strict();
const completeBody = z
  .object({ token: z.string().min(1).max(200), password: z.string().max(1024) })
  .strict();

/** Reset emails per address per hour at most: asking again and again does not flood someone's inbox. */
const RESETS_PER_HOUR = 3;

export function accountRoutes(app: Waymark, log: Logger = silentLogger) {
  const directory = app.access.directory;
  const recentResets = new Map<string, number[]>();
  const mayEmail = (email: string): boolean => {
    const now = Date.now();
    const key = email.toLowerCase();
    const recent = (recentResets.get(key) ?? []).filter((t) => now - t < 3600_000);
    if (recent.length >= RESETS_PER_HOUR) return false;
    recentResets.set(key, [...recent, now]);
    if (recentResets.size > 10_000) recentResets.delete(recentResets.keys().next().value!);
    return true;
  };
  return async (f: FastifyInstance): Promise<void> => {
    f.post(
      '/invitations/accept',
      {
        config: { permission: 'public' },
        schema: {
          tags: ['access'],
          summary:
            'Accept an invitation: the token from its link and a password (at least 12 characters, not the email); then sign in with POST /v1/session',
          body: openApi(acceptBody),
          security: [],
        },
      },
      async (req, reply) => {
        const body = parseInput(acceptBody, req.body ?? {}, 'body');
        const u = await directory.acceptInvitation(body.token, body.password);
        void reply.header('cache-control', 'no-store');
        return { id: u.id, email: u.email, name: u.name, status: u.status };
      },
    );

    f.post(
      '/password-reset',
      {
        config: { permission: 'public' },
        schema: {
          tags: ['access'],
          summary:
            'Ask for a password reset: if the email has an account, a one-time link (1 hour) is sent to it (at most 3 emails an hour per address). Always 202.',
          body: openApi(resetBody),
          security: [],
        },
      },
      async (req, reply) => {
        const body = parseInput(resetBody, req.body ?? {}, 'body');
        void (async () => {
          if (!mayEmail(body.email)) return;
          const found = await directory.requestPasswordReset(body.email);
          if (!found) return;
          const url = `${app.publicUrl}/reset-password?token=${encodeURIComponent(found.token)}`;
          const sent = await sendAccountEmail(
            app,
            resetEmail({ to: found.user.email, name: found.user.name, url }),
          );
          if (!sent.sent)
            log('warn', 'a password reset for a user could not be emailed', {
              reason: sent.reason,
            });
        })().catch((e: unknown) =>
          log('error', 'a password reset failed', {
            error: e instanceof Error ? e.message : String(e),
          }),
        );
        return reply.status(202).send({
          message:
            'If this email has an account, a link to choose a new password is on its way. It works once, for one hour.',
        });
      },
    );

    f.post(
      '/password-reset/complete',
      {
        config: { permission: 'public' },
        schema: {
          tags: ['access'],
          summary:
            'Choose a new password with the token from the reset link; every session of the account ends',
          body: openApi(completeBody),
          security: [],
        },
      },
      async (req, reply) => {
        const body = parseInput(completeBody, req.body ?? {}, 'body');
        const u = await directory.completePasswordReset(body.token, body.password);
        void reply.header('cache-control', 'no-store');
        return { id: u.id, email: u.email, name: u.name, status: u.status };
      },
    );
  };
}
