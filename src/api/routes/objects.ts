// CRUD for every stored kind under /v1/<route> (event types, actions, fragments, ...).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { objectKinds } from '../../runtime/object-kinds.ts';
import { archiveMarks, keysInUse } from '../../runtime/references.ts';
import { sandboxOf } from '../context.ts';
import { ifMatchOf, objectEtag } from '../etag.ts';

export function objectRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    for (const kind of objectKinds) {
      // Secrets never leave: every answer shows them redacted.
      // `name`: what lists show (the spec's display name; the key for kinds without one). `etag`: what If-Match takes.
      const view = (o: { key: string; body: unknown; revision: number; createdAt: string; updatedAt: string }) => ({ key: o.key, name: displayName(o.key, o.body), revision: o.revision, etag: objectEtag(o.revision), createdAt: o.createdAt, updatedAt: o.updatedAt, spec: app.objects.secrets.redact(kind.kind, o.body), ...needsSecretOf(o.body) });
      // Secrets that came redacted from a package: the object fails on use until they are sent.
      const needsSecretOf = (body: unknown): { needsSecret?: string[] } => {
        const paths = app.objects.secrets.needsSecret(kind.kind, body as Record<string, unknown>);
        return paths.length > 0 ? { needsSecret: paths } : {};
      };
      const tags = [kind.title];
      let bodySchema: unknown;
      try { bodySchema = z.toJSONSchema(kind.schema, { unrepresentable: 'any', io: 'input' }); } catch { bodySchema = { type: 'object' }; }
      f.get(`/${kind.route}`, { schema: { tags, summary: `List ${kind.title}s` } }, async (req) => {
        const items = await app.objects.list(sandboxOf(req), kind.kind);
        const archived = await archiveMarks(app.engine.store, sandboxOf(req));
        const inUse = await keysInUse(app.engine.store, sandboxOf(req), kind.kind, items.map((o) => o.key));
        return { items: items.map((o) => ({ ...view(o), inUse: inUse.has(o.key), ...(archived.has(`${kind.kind}:${o.key}`) ? { archived: true } : {}) })) };
      });
      f.get<{ Params: { key: string } }>(`/${kind.route}/:key`, { schema: { tags, summary: `Read a ${kind.title} (ETag: its revision)` } }, async (req, reply) => {
        const o = await app.objects.get(sandboxOf(req), kind.kind, req.params.key);
        return reply.header('etag', objectEtag(o.revision)).send(view(o));
      });
      f.post(`/${kind.route}`, { schema: { tags, summary: `Create or replace a ${kind.title} (with If-Match: only over that revision, else 409 version_conflict)`, body: bodySchema } }, async (req, reply) => {
        const r = await app.objects.put(sandboxOf(req), kind.kind, req.body, undefined, ifMatchOf(req)?.revision);
        return reply.status(r.status === 'created' ? 201 : 200).header('etag', objectEtag(r.object.revision)).send({ status: r.status, ...view(r.object) });
      });
      f.put<{ Params: { key: string } }>(`/${kind.route}/:key`, { schema: { tags, summary: `Replace a ${kind.title} (with If-Match: only over that revision, else 409 version_conflict)`, body: bodySchema } }, async (req, reply) => {
        const r = await app.objects.put(sandboxOf(req), kind.kind, req.body, req.params.key, ifMatchOf(req)?.revision);
        return reply.status(r.status === 'created' ? 201 : 200).header('etag', objectEtag(r.object.revision)).send({ status: r.status, ...view(r.object) });
      });
      f.delete<{ Params: { key: string } }>(`/${kind.route}/:key`, { schema: { tags, summary: `Delete a ${kind.title}` } }, async (req, reply) => {
        await app.objects.delete(sandboxOf(req), kind.kind, req.params.key);
        return reply.status(204).send();
      });
    }
  };
}

/** A stored object's display name: its spec's `name` (or `title`) when it has one, else its key. */
function displayName(key: string, body: unknown): string {
  const b = body as { name?: unknown; title?: unknown } | null;
  if (b && typeof b.name === 'string' && b.name !== '') return b.name;
  if (b && typeof b.title === 'string' && b.title !== '') return b.title;
  return key;
}
