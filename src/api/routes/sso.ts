// Single sign-on for the console (OpenID Connect): whether it is on (the sign-in page shows its
// button), the redirect to the identity provider, and the callback that opens a console session as
// password sign-in does. Every step is public: the person is not signed in yet. Failures redirect to
// the console with `?sso_error=<code>` (SSO_ERROR_MESSAGES says what it shows); tokens never reach
// the log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import {
  createSso,
  ssoConfigFromEnv,
  SsoRefusal,
  SSO_LOGIN_TTL_MS,
  type SsoConfig,
} from '../../runtime/access/sso.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { noteAudit } from '../audit-note.ts';
import { sessionSetCookie, type SessionStore } from '../sessions.ts';

/** The browser's half of a started sign-in: the state, which the callback must bring back. */
export const SSO_STATE_COOKIE = 'waymark_sso_state';
const STATE_PATH = '/v1/sso';

// Behind a TLS-terminating proxy the cookies must be Secure; on a plain loopback demo they cannot be.
const secure = (req: FastifyRequest): boolean =>
  req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';

// SameSite=Lax, not Strict: the provider's redirect back is a cross-site navigation, and the
// callback must see this cookie on it.
const stateCookie = (value: string, maxAgeSeconds: number, req: FastifyRequest): string =>
  `${SSO_STATE_COOKIE}=${value}; Path=${STATE_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure(req) ? '; Secure' : ''}`;

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

// 303: the browser follows with a GET; nothing on the way is cached.
const redirect = (reply: FastifyReply, location: string): FastifyReply =>
  reply.header('cache-control', 'no-store').redirect(location, 303);

/**
 * `config`: single sign-on's settings; by default read from the environment (WAYMARK_OIDC_*), and
 * an unusable one fails the server's start with a message naming the bad part.
 */
export function ssoRoutes(
  app: Waymark,
  sessions: SessionStore,
  config: SsoConfig | null = ssoConfigFromEnv(process.env, app.publicUrl),
) {
  const sso = config === null ? null : createSso({ config, directory: app.access.directory });
  return async (f: FastifyInstance): Promise<void> => {
    const publicRoute = { permission: 'public' } as const;

    f.get(
      '/sso',
      {
        config: publicRoute,
        schema: {
          tags: ['session'],
          summary:
            "Whether single sign-on (OpenID Connect) is on, and where the sign-in page's button leads",
          security: [],
        },
      },
      async () => ({ enabled: sso !== null, loginUrl: sso === null ? null : '/v1/sso/login' }),
    );

    f.get(
      '/sso/login',
      {
        config: publicRoute,
        schema: {
          tags: ['session'],
          summary:
            'Single sign-on: redirects to the identity provider (authorization code with PKCE, state and nonce)',
          security: [],
        },
      },
      async (req, reply) => {
        if (sso === null)
          throw new WaymarkError(
            ErrorCode.NotFound,
            'single sign-on is not configured (WAYMARK_OIDC_ISSUER)',
          );
        try {
          const { url, state } = await sso.begin();
          void reply.header(
            'set-cookie',
            stateCookie(state, Math.floor(SSO_LOGIN_TTL_MS / 1000), req),
          );
          return await redirect(reply, url);
        } catch (e) {
          if (!(e instanceof SsoRefusal)) throw e;
          req.log.warn({ sso: e.code }, `single sign-on: ${e.reason}`);
          return redirect(reply, `/?sso_error=${e.code}`);
        }
      },
    );

    f.get(
      '/sso/callback',
      {
        config: publicRoute,
        // The request line carries the authorization code: keep it out of the request log (refusals
        // are still logged, as warnings, without it).
        logLevel: 'warn',
        schema: {
          tags: ['session'],
          summary:
            "Single sign-on: the identity provider's redirect back; opens a console session and redirects to the console",
          security: [],
        },
      },
      async (req, reply) => {
        if (sso === null)
          throw new WaymarkError(
            ErrorCode.NotFound,
            'single sign-on is not configured (WAYMARK_OIDC_ISSUER)',
          );
        const query = new URLSearchParams(
          req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        );
        // The state cookie is single use, whatever happens next.
        const clear = stateCookie('', 0, req);
        try {
          const signedIn = await sso.complete(
            query,
            cookieValue(req.headers.cookie, SSO_STATE_COOKIE),
          );
          const { id, session } = sessions.create(
            { kind: 'user', userId: signedIn.userId, epoch: signedIn.epoch },
            'sso',
          );
          void reply.header('set-cookie', [
            clear,
            sessionSetCookie(
              id,
              Math.floor((session.expiresAt - session.createdAt) / 1000),
              secure(req),
            ),
          ]);
          if (signedIn.unknownRoles.length > 0)
            req.log.warn(
              { sso: 'unknown_role' },
              `single sign-on: WAYMARK_OIDC_ROLE_MAP names role(s) that do not exist, skipped: ${signedIn.unknownRoles.join(', ')}`,
            );
          // The sign-in set the user's roles from the groups: a change to the user, audited as theirs.
          const actor = { kind: 'user', id: signedIn.userId, name: signedIn.email } as const;
          noteAudit(req, {
            action: 'user.sso-sign-in',
            actor,
            sandbox: null,
            object: { kind: 'user', key: signedIn.userId, name: signedIn.email },
            details: { issuer: sso.config.issuer.href, roles: signedIn.roles },
          });
          return await redirect(reply, '/');
        } catch (e) {
          // The person is in a browser: every failure lands on the sign-in page with its reason.
          const refusal =
            e instanceof SsoRefusal
              ? e
              : new SsoRefusal('refused', e instanceof Error ? e.message : String(e));
          if (e instanceof SsoRefusal)
            req.log.warn({ sso: refusal.code }, `single sign-on refused: ${refusal.reason}`);
          else req.log.error({ sso: refusal.code }, `single sign-on failed: ${refusal.reason}`);
          void reply.header('set-cookie', clear);
          return redirect(reply, `/?sso_error=${refusal.code}`);
        }
      },
    );
  };
}
