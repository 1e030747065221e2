// A real OpenID Connect identity provider on loopback (oidc-provider, with its development sign-in
// and consent pages) and a minimal browser that walks the authorization-code flow through it:
// redirects followed by hand, cookies kept per origin, the sign-in and consent forms submitted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdentityProvider {
  readonly issuer: string;
  close(): Promise<void>;
}

/** `accounts`: login -> the claims the provider answers for it (email, name, groups...). */
export async function startIdentityProvider(opts: {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly accounts: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}): Promise<TestIdentityProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    async findAccount(_ctx: unknown, id: string) {
      const claims = opts.accounts[id];
      if (claims === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  handle = provider.callback();
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookies and redirects, enough for a sign-in: no scripts, forms by hand. */
export class TestBrowser {
  readonly #jar = new Map<string, Map<string, string>>();

  /** The cookies this browser holds for an origin. */
  cookies(origin: string): ReadonlyMap<string, string> {
    return this.#jar.get(new URL(origin).host) ?? new Map();
  }

  async request(
    url: string,
    init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const u = new URL(url);
    const jar = this.#jar.get(u.host) ?? new Map<string, string>();
    this.#jar.set(u.host, jar);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(u, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * Follows redirects from `url`, signing in as `login` and consenting on the provider's pages, until
   * an answer that is neither a redirect nor one of those pages, or until a redirect leaves for
   * `stopAt` (then that redirect is answered without following it). Returns the last response and URL.
   */
  async walk(
    url: string,
    login: string,
    stopAt?: (next: URL) => boolean,
  ): Promise<{ res: Response; url: string; location: string | null }> {
    let at = url;
    let res = await this.request(at);
    for (let hops = 0; hops < 20; hops++) {
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        const next = new URL(location, at);
        if (stopAt?.(next)) return { res, url: at, location: next.href };
        at = next.href;
        res = await this.request(at);
        continue;
      }
      if (res.status === 200 && new URL(at).pathname.startsWith('/interaction/')) {
        const page = await res.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        if (prompt === 'login')
          res = await this.request(at, {
            method: 'POST',
            form: { prompt, login, password: 'any password' },
          });
        else if (prompt === 'consent')
          res = await this.request(at, { method: 'POST', form: { prompt } });
        else throw new Error(`unexpected interaction page at ${at}`);
        continue;
      }
      return { res, url: at, location: null };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}
