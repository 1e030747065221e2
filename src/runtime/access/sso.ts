// Optional OpenID Connect single sign-on: the authorization code flow with PKCE, state and nonce
// (openid-client), the person's groups mapped to roles (src/access/sso-mapping.ts), and the user
// kept in the directory with those roles, renewed at each sign-in. Configured by the operator from
// the environment; off when WAYMARK_OIDC_ISSUER is unset. The issuer is the operator's choice, so
// it is not subject to a sandbox's allowed hosts; plain http is accepted only on loopback (tests, a
// provider on the same machine).
import * as oidc from 'openid-client';
import type { RoleAssignment } from '../../access/api-types.ts';
import {
  groupsFromClaims,
  parseRoleMap,
  RoleMapError,
  rolesForGroups,
  type RoleMapEntry,
  type SsoErrorCode,
} from '../../access/sso-mapping.ts';
import type { Directory } from './contracts.ts';

export interface SsoConfig {
  readonly issuer: URL;
  readonly clientId: string;
  /** null: a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | null;
  /** Where the provider sends the browser back: this server's GET /v1/sso/callback. */
  readonly redirectUrl: string;
  readonly scopes: string;
  readonly groupsClaim: string;
  readonly roleMap: readonly RoleMapEntry[];
}

/** A configuration that cannot be used; the message names the variable and what is wrong. */
export class SsoConfigError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLoopback = (u: URL): boolean =>
  LOOPBACK.has(u.hostname) || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);

/**
 * Reads single sign-on's configuration from the environment: null when WAYMARK_OIDC_ISSUER is unset,
 * an SsoConfigError naming the bad part otherwise (checked at start, before anyone tries to sign in).
 */
export function ssoConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  publicUrl: string,
): SsoConfig | null {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const issuerText = get('WAYMARK_OIDC_ISSUER');
  if (issuerText === undefined) return null;
  let issuer: URL;
  try {
    issuer = new URL(issuerText);
  } catch {
    throw new SsoConfigError(`WAYMARK_OIDC_ISSUER: "${issuerText}" is not a URL`);
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer))) {
    throw new SsoConfigError(
      `WAYMARK_OIDC_ISSUER: "${issuerText}" must be an https URL (plain http only on loopback)`,
    );
  }
  if (issuer.search !== '' || issuer.hash !== '')
    throw new SsoConfigError(
      `WAYMARK_OIDC_ISSUER: "${issuerText}" must not carry a query or fragment`,
    );
  const clientId = get('WAYMARK_OIDC_CLIENT_ID');
  if (clientId === undefined)
    throw new SsoConfigError('WAYMARK_OIDC_CLIENT_ID is required when WAYMARK_OIDC_ISSUER is set');
  const redirectUrl =
    get('WAYMARK_OIDC_REDIRECT_URL') ?? `${publicUrl.replace(/\/+$/, '')}/v1/sso/callback`;
  let redirect: URL;
  try {
    redirect = new URL(redirectUrl);
  } catch {
    throw new SsoConfigError(`WAYMARK_OIDC_REDIRECT_URL: "${redirectUrl}" is not a URL`);
  }
  if (redirect.protocol !== 'https:' && redirect.protocol !== 'http:')
    throw new SsoConfigError(`WAYMARK_OIDC_REDIRECT_URL: "${redirectUrl}" must be an http(s) URL`);
  if (redirect.search !== '' || redirect.hash !== '')
    throw new SsoConfigError(
      `WAYMARK_OIDC_REDIRECT_URL: "${redirectUrl}" must not carry a query or fragment`,
    );
  const scopes = get('WAYMARK_OIDC_SCOPES') ?? 'openid email profile';
  if (!scopes.split(/\s+/).includes('openid'))
    throw new SsoConfigError(`WAYMARK_OIDC_SCOPES: "${scopes}" must include openid`);
  const mapText = get('WAYMARK_OIDC_ROLE_MAP');
  if (mapText === undefined)
    throw new SsoConfigError(
      'WAYMARK_OIDC_ROLE_MAP is required when WAYMARK_OIDC_ISSUER is set (e.g. waymark-admins=admin@*;viewers=viewer@prod): without it nobody could sign in',
    );
  let roleMap: RoleMapEntry[];
  try {
    roleMap = parseRoleMap(mapText);
  } catch (e) {
    if (e instanceof RoleMapError) throw new SsoConfigError(`WAYMARK_OIDC_ROLE_MAP: ${e.message}`);
    throw e;
  }
  return {
    issuer,
    clientId,
    clientSecret: get('WAYMARK_OIDC_CLIENT_SECRET') ?? null,
    redirectUrl: redirect.href,
    scopes,
    groupsClaim: get('WAYMARK_OIDC_GROUPS_CLAIM') ?? 'groups',
    roleMap,
  };
}

/** A refused sign-in: `code` is what the person is told (SSO_ERROR_MESSAGES), `reason` what the log says (never a token). */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The signed-in identity, its roles and the user it became. */
export interface SsoSignIn {
  readonly userId: string;
  readonly epoch: number;
  readonly email: string;
  readonly roles: readonly RoleAssignment[];
  /** Roles the map gives but that do not exist (skipped): the log names them. */
  readonly unknownRoles: readonly string[];
}

export interface SsoService {
  readonly config: SsoConfig;
  /** Starts a sign-in: where to send the browser, and the state it must bring back (kept in its cookie). */
  begin(): Promise<{ url: string; state: string }>;
  /** Completes it from the callback's query and the browser's state cookie; throws SsoRefusal. */
  complete(query: URLSearchParams, cookieState: string | null): Promise<SsoSignIn>;
}

interface Pending {
  readonly verifier: string;
  readonly nonce: string;
  readonly at: number;
}

/** How long a started sign-in may take at the provider. */
export const SSO_LOGIN_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

export function createSso(deps: {
  config: SsoConfig;
  directory: Directory;
  now?: () => number;
}): SsoService {
  const { config, directory } = deps;
  const now = deps.now ?? Date.now;
  // Started sign-ins by state, oldest first; single use. In memory like console sessions.
  const pending = new Map<string, Pending>();
  let discovered: Promise<oidc.Configuration> | null = null;

  const provider = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(
        config.issuer,
        config.clientId,
        undefined,
        config.clientSecret === null ? oidc.None() : oidc.ClientSecretBasic(config.clientSecret),
        {
          timeout: 10,
          ...(config.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      )
      .catch((e: unknown) => {
        // Not cached: the next sign-in tries again (the provider may be back).
        discovered = null;
        throw new SsoRefusal(
          'unavailable',
          `discovery of ${config.issuer.href} failed: ${messageOf(e)}`,
        );
      });
    return discovered;
  };

  const sweep = (): void => {
    const t = now();
    for (const [state, p] of pending) {
      if (t - p.at < SSO_LOGIN_TTL_MS && pending.size < MAX_PENDING) break;
      pending.delete(state);
    }
  };

  return {
    config,
    async begin() {
      const as = await provider();
      sweep();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce, at: now() });
      const url = oidc.buildAuthorizationUrl(as, {
        redirect_uri: config.redirectUrl,
        scope: config.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state };
    },

    async complete(query, cookieState) {
      const state = query.get('state');
      // The state must be the one this browser started with (its cookie): a link crafted by someone
      // else, or a replay, never signs anyone in.
      if (state === null || cookieState === null || state !== cookieState)
        throw new SsoRefusal('state', "the state does not match the browser's sign-in");
      const started = pending.get(state);
      pending.delete(state);
      if (!started || now() - started.at >= SSO_LOGIN_TTL_MS)
        throw new SsoRefusal('state', 'no sign-in was started with this state, or it expired');
      const providerError = query.get('error');
      if (providerError !== null)
        throw new SsoRefusal('provider', `the provider answered ${providerError}`);
      const as = await provider();
      // The redirect URL as registered, with the provider's parameters: never the request's Host.
      const current = new URL(config.redirectUrl);
      for (const [k, v] of query) current.searchParams.append(k, v);
      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(as, current, {
          pkceCodeVerifier: started.verifier,
          expectedState: state,
          expectedNonce: started.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error('no ID token');
        claims = { ...idClaims };
        // Many providers put email and groups only in the UserInfo answer.
        const missing =
          claims.email === undefined || groupsFromClaims(claims, config.groupsClaim).length === 0;
        if (missing && as.serverMetadata().userinfo_endpoint !== undefined) {
          const info = await oidc.fetchUserInfo(as, tokens.access_token, idClaims.sub);
          claims = {
            ...info,
            ...claims,
            ...(claims.email === undefined
              ? { email: info.email, email_verified: info.email_verified }
              : {}),
          };
          if (groupsFromClaims(idClaims, config.groupsClaim).length === 0)
            claims[config.groupsClaim] = groupsFromClaims(info, config.groupsClaim);
        }
      } catch (e) {
        if (e instanceof SsoRefusal) throw e;
        throw new SsoRefusal(
          'exchange',
          `the code exchange or ID token check failed: ${messageOf(e)}`,
        );
      }
      const subject = String(claims.sub);
      const issuer = String(claims.iss);
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
      if (email === '')
        throw new SsoRefusal('no_email', `the identity ${subject} has no email claim`);
      if (claims.email_verified === false)
        throw new SsoRefusal('email_unverified', `the identity ${subject} has an unverified email`);
      const groups = groupsFromClaims(claims, config.groupsClaim);
      const known = new Set((await directory.listRoles()).map((r) => r.name));
      const mapped = rolesForGroups(config.roleMap, groups);
      const roles = mapped.filter((a) => known.has(a.role));
      const unknown = mapped.filter((a) => !known.has(a.role)).map((a) => a.role);
      if (roles.length === 0) {
        throw new SsoRefusal(
          'no_role',
          `${email}: no mapped group among ${groups.length} group(s)${unknown.length > 0 ? `; the map names unknown role(s) ${unknown.join(', ')}` : ''}`,
        );
      }
      const name =
        typeof claims.name === 'string' && claims.name.trim() !== ''
          ? claims.name.trim()
          : undefined;
      const user = await directory.upsertSsoUser({
        issuer,
        subject,
        email,
        ...(name !== undefined ? { name } : {}),
        roles,
      });
      if (user.status !== 'active') throw new SsoRefusal('refused', `${email} is ${user.status}`);
      const epoch = user.epoch ?? 0;
      const principal = await directory.principalForUser(user.id, epoch);
      if ('refused' in principal) throw new SsoRefusal('refused', `${email}: ${principal.refused}`);
      return { userId: user.id, epoch, email, roles, unknownRoles: unknown };
    },
  };
}

// Messages only: an error's cause may hold a provider's response, which is not for the log.
const messageOf = (e: unknown): string =>
  (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
