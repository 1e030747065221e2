// API keys (keys.manage): list, create (the key answered once), revoke at once, rotate with an
// overlap. Nobody mints a key more powerful than themselves (no escalation).
import type { FastifyInstance } from 'fastify';
import {
  apiKeyCreateBody as createBody,
  apiKeyRotateBody as rotateBody,
} from '../../access/api-schemas.ts';
import type { ApiKeyView } from '../../access/api-types.ts';
import { notFound } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { assertMayGrant, resolveAssignments } from '../../runtime/access/directory/escalation.ts';
import { noteAudit } from '../audit-note.ts';
import { principalOf } from '../principal.ts';
import { openApi, parseInput } from './request-input.ts';

export function apiKeyRoutes(app: Waymark) {
  const directory = app.access.directory;
  const grantOf = async (role: string, sandboxes: readonly string[]) =>
    resolveAssignments(
      {
        getRole: (n) => directory.getRole(n),
        sandboxExists: (s) => app.access.sandboxes.exists(s),
      },
      [{ role, sandboxes }],
      'body',
    );
  // What an existing key holds (its role may have been deleted since: then nothing).
  const heldBy = async (k: ApiKeyView) => {
    const role = await directory.getRole(k.role).catch(() => null);
    return role ? [{ role, sandboxes: k.sandboxes }] : [];
  };
  const keyById = async (id: string): Promise<ApiKeyView> => {
    const k = (await directory.listKeys()).find((x) => x.id === id);
    if (!k) throw notFound('API key', id);
    return k;
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/api-keys',
      {
        config: { permission: 'keys.manage' },
        schema: {
          tags: ['access'],
          summary:
            'The API keys: name, role, sandboxes, who created them, last use, expiry, revocation (never the keys themselves)',
        },
      },
      async (_req, reply) => {
        void reply.header('cache-control', 'no-store');
        return { items: await directory.listKeys() };
      },
    );

    f.post(
      '/api-keys',
      {
        config: { permission: 'keys.manage' },
        schema: {
          tags: ['access'],
          summary:
            'Create an API key with a role in some sandboxes ("*": all); the key (wmk_…) is answered this once',
          body: openApi(createBody),
        },
      },
      async (req, reply) => {
        const body = parseInput(createBody, req.body ?? {}, 'body');
        const caller = principalOf(req);
        assertMayGrant(caller, await grantOf(body.role, body.sandboxes), 'give a key');
        const created = await directory.createKey(
          {
            name: body.name,
            role: body.role,
            sandboxes: body.sandboxes,
            expiresAt: body.expiresAt ?? null,
          },
          caller.actor,
        );
        noteAudit(req, {
          action: 'key.create',
          sandbox: null,
          object: { kind: 'apiKey', key: created.id, name: created.name },
          details: {
            role: created.role,
            sandboxes: created.sandboxes,
            expiresAt: created.expiresAt,
          },
        });
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    f.delete<{ Params: { id: string } }>(
      '/api-keys/:id',
      {
        config: { permission: 'keys.manage' },
        schema: {
          tags: ['access'],
          summary: 'Revoke an API key: refused from the next request on',
        },
      },
      async (req) => {
        const caller = principalOf(req);
        const k = await keyById(req.params.id);
        assertMayGrant(caller, await heldBy(k), 'revoke a key with');
        const revoked = await directory.revokeKey(k.id, caller.actor);
        noteAudit(req, {
          action: 'key.revoke',
          sandbox: null,
          object: { kind: 'apiKey', key: k.id, name: k.name },
        });
        return revoked;
      },
    );

    f.post<{ Params: { id: string } }>(
      '/api-keys/:id/rotate',
      {
        config: { permission: 'keys.manage' },
        schema: {
          tags: ['access'],
          summary:
            'Rotate an API key: a successor with the same name, role and sandboxes (answered once); the old key keeps working for overlapSeconds (default 24 h)',
          body: openApi(rotateBody),
        },
      },
      async (req, reply) => {
        const body = parseInput(rotateBody, req.body ?? {}, 'body');
        const caller = principalOf(req);
        const k = await keyById(req.params.id);
        assertMayGrant(caller, await heldBy(k), 'rotate a key with');
        const successor = await directory.rotateKey(k.id, body.overlapSeconds, caller.actor);
        noteAudit(req, {
          action: 'key.rotate',
          sandbox: null,
          object: { kind: 'apiKey', key: k.id, name: k.name },
          details: { successor: successor.id, overlapSeconds: body.overlapSeconds ?? 24 * 3600 },
        });
        return reply.status(201).header('cache-control', 'no-store').send(successor);
      },
    );
  };
}
