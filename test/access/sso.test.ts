// Single sign-on (OpenID Connect) with group-to-role mapping: the operator's role map, the
// configuration read at start, and the whole authorization-code flow through a real identity
// provider (oidc-provider on loopback) into a console session whose roles follow the groups.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  groupsFromClaims,
  parseRoleMap,
  RoleMapError,
  rolesForGroups,
} from '../../src/access/sso-mapping.ts';
import type { Directory } from '../../src/runtime/access/contracts.ts';
import {
  createSso,
  ssoConfigFromEnv,
  SsoConfigError,
  SsoRefusal,
} from '../../src/runtime/access/sso.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import {
  startIdentityProvider,
  TestBrowser,
  type TestIdentityProvider,
} from './identity-provider.ts';

const ROLE_MAP = 'marketing-admins=admin@*;content=content-manager@prod,staging;viewers=viewer@*';

describe('the role map an operator writes', () => {
  it('reads groups, roles and sandboxes, and a group may be a directory name with "=" in it', () => {
    assert.deepEqual(parseRoleMap(`${ROLE_MAP};CN=Ops,OU=Groups=journey-manager@prod`), [
      { group: 'marketing-admins', role: 'admin', sandboxes: ['*'] },
      { group: 'content', role: 'content-manager', sandboxes: ['prod', 'staging'] },
      { group: 'viewers', role: 'viewer', sandboxes: ['*'] },
      { group: 'CN=Ops,OU=Groups', role: 'journey-manager', sandboxes: ['prod'] },
    ]);
  });

  it('refuses a bad entry with a message naming it', () => {
    const refused = (text: string, message: RegExp) =>
      assert.throws(
        () => parseRoleMap(text),
        (e: unknown) => e instanceof RoleMapError && message.test(e.message),
      );
    refused('viewers=viewer', /entry 1 "viewers=viewer": say in which sandboxes.*viewer@\*/);
    refused('viewers=viewer@*;content', /entry 2 "content": expected group=role@sandboxes/);
    refused('admins=Admin Role@*', /the role "Admin Role" is not a role name/);
    refused('admins=admin@prod,Staging', /"Staging" is not a sandbox name/);
    refused('admins=admin@prod,*', /'\*' \(every sandbox\) cannot be listed with other sandboxes/);
    refused(' ; ', /no entries/);
  });

  it('gives each role once, its sandboxes merged, for the groups a person is in', () => {
    const map = parseRoleMap(
      'content=content-manager@prod;emea-content=content-manager@staging;viewers=viewer@prod;all-viewers=viewer@*',
    );
    assert.deepEqual(
      rolesForGroups(map, ['content', 'emea-content', 'viewers', 'all-viewers', 'unmapped']),
      [
        { role: 'content-manager', sandboxes: ['prod', 'staging'] },
        { role: 'viewer', sandboxes: ['*'] },
      ],
    );
    assert.deepEqual(rolesForGroups(map, ['unmapped']), []);
  });

  it('finds the groups under the configured claim, by name first, then as a path', () => {
    assert.deepEqual(groupsFromClaims({ groups: ['a', 'b', 3] }, 'groups'), ['a', 'b']);
    assert.deepEqual(groupsFromClaims({ groups: 'solo' }, 'groups'), ['solo']);
    assert.deepEqual(groupsFromClaims({ realm_access: { roles: ['x'] } }, 'realm_access.roles'), [
      'x',
    ]);
    assert.deepEqual(
      groupsFromClaims({ 'https://example.com/groups': ['ns'] }, 'https://example.com/groups'),
      ['ns'],
    );
    assert.deepEqual(groupsFromClaims({}, 'groups'), []);
  });
});

describe('single sign-on configuration from the environment', () => {
  const base = {
    WAYMARK_OIDC_ISSUER: 'https://idp.example.com',
    WAYMARK_OIDC_CLIENT_ID: 'waymark',
    WAYMARK_OIDC_CLIENT_SECRET: 's3cret',
    WAYMARK_OIDC_ROLE_MAP: ROLE_MAP,
  };

  it('is off without an issuer, and defaults the callback to the public URL', () => {
    assert.equal(ssoConfigFromEnv({}, 'https://waymark.example.com'), null);
    const c = ssoConfigFromEnv(base, 'https://waymark.example.com/');
    assert.equal(c?.redirectUrl, 'https://waymark.example.com/v1/sso/callback');
    assert.equal(c?.groupsClaim, 'groups');
    assert.equal(c?.scopes, 'openid email profile');
    assert.equal(c?.roleMap.length, 3);
  });

  it('refuses what cannot work, naming the variable', () => {
    const refused = (env: Record<string, string>, message: RegExp) =>
      assert.throws(
        () => ssoConfigFromEnv({ ...base, ...env }, 'https://w.example.com'),
        (e: unknown) => e instanceof SsoConfigError && message.test(e.message),
      );
    refused(
      { WAYMARK_OIDC_ISSUER: 'http://idp.example.com' },
      /WAYMARK_OIDC_ISSUER: .* must be an https URL \(plain http only on loopback\)/,
    );
    refused({ WAYMARK_OIDC_ISSUER: 'not a url' }, /WAYMARK_OIDC_ISSUER: "not a url" is not a URL/);
    refused({ WAYMARK_OIDC_CLIENT_ID: '' }, /WAYMARK_OIDC_CLIENT_ID is required/);
    refused({ WAYMARK_OIDC_ROLE_MAP: '' }, /WAYMARK_OIDC_ROLE_MAP is required/);
    refused(
      { WAYMARK_OIDC_ROLE_MAP: 'viewers=viewer@*;content=content manager@prod' },
      /WAYMARK_OIDC_ROLE_MAP: entry 2 .*the role "content manager"/,
    );
    refused(
      { WAYMARK_OIDC_REDIRECT_URL: 'ftp://x/cb' },
      /WAYMARK_OIDC_REDIRECT_URL: .* must be an http\(s\) URL/,
    );
    refused({ WAYMARK_OIDC_SCOPES: 'email' }, /WAYMARK_OIDC_SCOPES: .* must include openid/);
    assert.ok(
      ssoConfigFromEnv(
        { ...base, WAYMARK_OIDC_ISSUER: 'http://127.0.0.1:9000' },
        'http://127.0.0.1:4600',
      ),
      'plain http on loopback is allowed',
    );
  });

  it("fails the server's start when the configuration is bad", async () => {
    const { buildServer } = await import('../../src/api/server.ts');
    const saved = { ...process.env };
    Object.assign(process.env, base, { WAYMARK_OIDC_ROLE_MAP: 'viewers=viewer' });
    try {
      const w = await bareWorld();
      await assert.rejects(
        buildServer({ app: w.app, keys: [] }),
        /WAYMARK_OIDC_ROLE_MAP: entry 1 "viewers=viewer"/,
      );
      await w.close();
    } finally {
      restoreEnv(saved);
    }
  });
});

describe('a provider that cannot be reached', () => {
  it('refuses the sign-in as unavailable, naming the issuer in the reason it logs', async () => {
    const port = await freePort(); // nothing listens there
    const config = ssoConfigFromEnv(
      {
        WAYMARK_OIDC_ISSUER: `http://127.0.0.1:${port}`,
        WAYMARK_OIDC_CLIENT_ID: 'waymark',
        WAYMARK_OIDC_ROLE_MAP: ROLE_MAP,
      },
      'http://127.0.0.1:4600',
    );
    assert.ok(config);
    const directory = {} as Directory; // never reached
    const sso = createSso({ config, directory });
    for (let attempt = 0; attempt < 2; attempt++)
      await assert.rejects(
        sso.begin(),
        (e: unknown) =>
          e instanceof SsoRefusal &&
          e.code === 'unavailable' &&
          e.reason.includes(`discovery of http://127.0.0.1:${port}/ failed`),
      );
  });
});

describe('signing in through a real identity provider', () => {
  let idp: TestIdentityProvider;
  let w: ApiWorld;
  let waymark: string;
  // What the identity provider says about each person; a test may change someone's groups.
  const accounts: Record<string, Record<string, unknown>> = {
    maria: {
      email: 'Maria.Admin@luma.example',
      email_verified: true,
      name: 'Maria Admin',
      groups: ['marketing-admins', 'everyone'],
    },
    chris: {
      email: 'chris@luma.example',
      email_verified: true,
      name: 'Chris Content',
      groups: ['content'],
    },
    nobody: {
      email: 'nobody@luma.example',
      email_verified: true,
      name: 'No Body',
      groups: ['everyone'],
    },
    dana: {
      email: 'dana@luma.example',
      email_verified: true,
      name: 'Dana Moves',
      groups: ['marketing-admins'],
    },
    unverified: { email: 'unverified@luma.example', email_verified: false, groups: ['viewers'] },
  };

  before(async () => {
    const port = await freePort();
    waymark = `http://127.0.0.1:${port}`;
    idp = await startIdentityProvider({
      clientId: 'waymark',
      clientSecret: 'waymark-client-secret',
      redirectUri: `${waymark}/v1/sso/callback`,
      accounts,
    });
    const saved = { ...process.env };
    Object.assign(process.env, {
      WAYMARK_OIDC_ISSUER: idp.issuer,
      WAYMARK_OIDC_CLIENT_ID: 'waymark',
      WAYMARK_OIDC_CLIENT_SECRET: 'waymark-client-secret',
      WAYMARK_OIDC_REDIRECT_URL: `${waymark}/v1/sso/callback`,
      WAYMARK_OIDC_SCOPES: 'openid email profile groups',
      // ghost-role does not exist: skipped (and logged), the group's other roles still given.
      WAYMARK_OIDC_ROLE_MAP: `${ROLE_MAP};content=ghost-role@prod`,
    });
    try {
      w = await apiWorld();
    } finally {
      restoreEnv(saved);
    }
    await w.server.listen({ port, host: '127.0.0.1' });
  });
  after(async () => {
    await w?.close();
    await idp?.close();
  });

  /** Walks the whole sign-in as `login`; answers where the callback sends the browser. */
  const signIn = async (browser: TestBrowser, login: string): Promise<string | null> =>
    (
      await browser.walk(
        `${waymark}/v1/sso/login`,
        login,
        (next) => next.origin === waymark && next.pathname === '/',
      )
    ).location;

  const me = async (browser: TestBrowser) => {
    const cookie = browser.cookies(waymark).get('waymark_session');
    assert.ok(cookie, 'a console session cookie was set');
    const res = await fetch(`${waymark}/v1/me`, {
      headers: { cookie: `waymark_session=${cookie}` },
    });
    assert.equal(res.status, 200);
    return res.json() as Promise<{
      actor: { kind: string; id: string; name: string };
      roles: string[];
      permissions: string[];
    }>;
  };

  it('says it is on, for the sign-in page', async () => {
    const res = await fetch(`${waymark}/v1/sso`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { enabled: true, loginUrl: '/v1/sso/login' });
  });

  it('signs a member of marketing-admins in as an admin, and the console session shows it', async () => {
    const browser = new TestBrowser();
    const login = await browser.request(`${waymark}/v1/sso/login`);
    assert.equal(login.status, 303);
    const to = new URL(login.headers.get('location') ?? '');
    assert.equal(to.origin, idp.issuer);
    assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
    for (const p of ['state', 'nonce', 'code_challenge'])
      assert.ok(to.searchParams.get(p), `the authorization request carries ${p}`);
    assert.match(
      login.headers.getSetCookie().join('\n'),
      /waymark_sso_state=[^;]+; Path=\/v1\/sso; HttpOnly; SameSite=Lax/,
    );

    const end = await browser.walk(
      to.href,
      'maria',
      (next) => next.origin === waymark && next.pathname === '/',
    );
    assert.equal(end.location, `${waymark}/`, 'the callback lands on the console');
    assert.match(
      end.res.headers.getSetCookie().join('\n'),
      /waymark_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/,
    );
    assert.equal(
      browser.cookies(waymark).get('waymark_sso_state'),
      undefined,
      'the state cookie is spent',
    );

    const who = await me(browser);
    assert.equal(who.actor.kind, 'user');
    assert.equal(who.actor.name, 'maria.admin@luma.example');
    assert.deepEqual(who.roles, ['admin']);

    const session = await fetch(`${waymark}/v1/session`, {
      headers: { cookie: `waymark_session=${browser.cookies(waymark).get('waymark_session')}` },
    });
    assert.equal(session.status, 200);
    assert.equal(
      ((await session.json()) as { via: string }).via,
      'sso',
      'the session says how it was opened',
    );

    const audited = await w.app.access.audit.query({
      actor: who.actor.id,
      action: 'user.sso-sign-in',
      limit: 10,
    });
    assert.equal(audited.items.length, 1, 'the sign-in, which set the roles, is in the audit log');
    assert.deepEqual(audited.items[0]?.details?.roles, [{ role: 'admin', sandboxes: ['*'] }]);
  });

  it('gives a member of content the content manager role in prod, skipping a mapped role that does not exist', async () => {
    const browser = new TestBrowser();
    const end = await browser.walk(
      `${waymark}/v1/sso/login`,
      'chris',
      (next) => next.origin === waymark && next.pathname === '/',
    );
    assert.equal(end.location, `${waymark}/`);
    const who = await me(browser);
    assert.deepEqual(who.roles, ['content-manager']);
    assert.ok(who.permissions.includes('content.manage'));
    assert.ok(!who.permissions.includes('journeys.publish'));
  });

  it('follows the groups at each sign-in: a person moved to viewers is a viewer from then on, and marked as signed in by single sign-on', async () => {
    const first = new TestBrowser();
    await signIn(first, 'dana');
    const before = await me(first);
    assert.deepEqual(before.roles, ['admin']);

    accounts.dana = { ...accounts.dana, groups: ['viewers'] };
    const second = new TestBrowser();
    await signIn(second, 'dana');
    assert.deepEqual((await me(second)).roles, ['viewer']);
    assert.deepEqual(
      (await me(first)).roles,
      ['viewer'],
      'the earlier session reads the new roles too',
    );
    const user = await w.app.access.directory.getUser(before.actor.id);
    assert.equal(user.sso, true);
    assert.equal(user.email, 'dana@luma.example');
    assert.deepEqual(user.roles, [{ role: 'viewer', sandboxes: ['*'] }]);
  });

  it('after "sign out everywhere" the old session is over and the next single sign-on opens a new one', async () => {
    const old = new TestBrowser();
    await signIn(old, 'chris');
    const who = await me(old);
    await w.app.access.directory.signOutEverywhere(who.actor.id);
    const refused = await fetch(`${waymark}/v1/me`, {
      headers: { cookie: `waymark_session=${old.cookies(waymark).get('waymark_session')}` },
    });
    assert.equal(refused.status, 401);
    const again = new TestBrowser();
    await signIn(again, 'chris');
    assert.deepEqual((await me(again)).roles, ['content-manager']);
  });

  it('refuses a disabled person and an unverified email, with their reasons', async () => {
    const chris = new TestBrowser();
    await signIn(chris, 'chris');
    const id = (await me(chris)).actor.id;
    await w.app.access.directory.updateUser(
      id,
      { status: 'disabled' },
      { kind: 'operator', id: 'operator', name: 'operator' },
    );
    const disabled = new TestBrowser();
    assert.equal(await signIn(disabled, 'chris'), `${waymark}/?sso_error=refused`);
    assert.equal(disabled.cookies(waymark).get('waymark_session'), undefined);

    const unverified = new TestBrowser();
    assert.equal(await signIn(unverified, 'unverified'), `${waymark}/?sso_error=email_unverified`);
  });

  it('refuses a person none of whose groups is mapped: no session, a clear reason on the sign-in page', async () => {
    const browser = new TestBrowser();
    const end = await browser.walk(
      `${waymark}/v1/sso/login`,
      'nobody',
      (next) => next.origin === waymark && next.pathname === '/',
    );
    assert.equal(end.location, `${waymark}/?sso_error=no_role`);
    assert.equal(browser.cookies(waymark).get('waymark_session'), undefined);
  });

  it('sends a person who cancels at the provider back to the sign-in page with the reason', async () => {
    const browser = new TestBrowser();
    let res = await browser.request(`${waymark}/v1/sso/login`);
    let at = `${waymark}/v1/sso/login`;
    // Follow the redirects to the provider's sign-in page, then cancel there.
    while (res.status === 303 || res.status === 302) {
      at = new URL(res.headers.get('location') ?? '', at).href;
      res = await browser.request(at);
    }
    assert.match(new URL(at).pathname, /^\/interaction\//);
    const end = await browser.walk(
      `${at}/abort`,
      'unused',
      (next) => next.origin === waymark && next.pathname === '/',
    );
    assert.equal(end.location, `${waymark}/?sso_error=provider`);
    assert.equal(browser.cookies(waymark).get('waymark_session'), undefined);
  });

  it("refuses a callback whose state was tampered with, and one that comes without the browser's state cookie", async () => {
    const browser = new TestBrowser();
    const atCallback = await browser.walk(
      `${waymark}/v1/sso/login`,
      'maria',
      (next) => next.origin === waymark && next.pathname === '/v1/sso/callback',
    );
    const callback = new URL(atCallback.location ?? '');
    assert.ok(callback.searchParams.get('code'), 'the provider sent a code back');

    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    const tampered = await browser.request(forged.href);
    assert.equal(tampered.status, 303);
    assert.equal(tampered.headers.get('location'), '/?sso_error=state');
    assert.equal(browser.cookies(waymark).get('waymark_session'), undefined);

    // The genuine callback, replayed by someone else's browser (no state cookie), is refused too.
    const stranger = await new TestBrowser().request(callback.href);
    assert.equal(stranger.headers.get('location'), '/?sso_error=state');
  });
});

/** The Luma world without a server (the test builds one itself). */
async function bareWorld() {
  const { lumaWorld } = await import('../support/luma.ts');
  return lumaWorld();
}

function restoreEnv(saved: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
