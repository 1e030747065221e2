// An in-process API server on the Luma world (Fastify inject: no port needed).
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import type { FastifyInstance } from 'fastify';
import { lumaWorld, TRACKING_SECRET, type LumaWorld } from './luma.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const PROD_ONLY_KEY = 'test-prod-only-key-0123456789';
/** One static key per built-in role, each held in the prod sandbox only (the permission matrix, the roles' tests). */
export const ROLE_KEYS = {
  admin: 'test-role-admin-key-0123456789',
  'journey-manager': 'test-role-journey-manager-key-0123456789',
  'content-manager': 'test-role-content-manager-key-0123456789',
  'audience-manager': 'test-role-audience-manager-key-0123456789',
  viewer: 'test-role-viewer-key-0123456789',
  'data-ingest': 'test-role-data-ingest-key-0123456789',
} as const;
export type BuiltInRoleName = keyof typeof ROLE_KEYS;

export interface ApiWorld extends LumaWorld {
  readonly server: FastifyInstance;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** Listens on a free loopback port (for clients that need a real socket: the CLI); returns the base URL. */
  listen(): Promise<string>;
}

/** `opts.store`: this store instead of the one WAYMARK_TEST_STORE names. */
export async function apiWorld(opts: Parameters<typeof lumaWorld>[0] = {}): Promise<ApiWorld> {
  const w = await lumaWorld(opts);
  const server = await buildServer({
    app: w.app,
    keys: [
      apiKey('admin', ADMIN_KEY),
      apiKey('prod-only', PROD_ONLY_KEY, ['prod']),
      ...Object.entries(ROLE_KEYS).map(([role, key]) =>
        apiKey(`${role} (test)`, key, ['prod'], role),
      ),
    ],
    trackingSecret: TRACKING_SECRET,
    devProviders: w.providers,
  });
  return {
    ...w,
    server,
    async request(method, url, body, headers = {}) {
      const res = await server.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined
          ? { payload: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      await w.app.engine.settle();
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
    },
    async listen() {
      await server.listen({ port: 0, host: '127.0.0.1' });
      const address = server.server.address();
      return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    },
    async close() {
      // A keep-alive connection the server does not count as idle yet when close() begins (its
      // last response not marked finished, as happens on a loaded machine) holds close() until
      // Fastify's keep-alive timeout, 72 s: test/cli/keys.test.ts took 74 s that way. Everything
      // the test asked has been answered by now, so every connection can go.
      const closed = server.close();
      server.server.closeAllConnections();
      await closed;
      await w.close();
    },
  };
}
