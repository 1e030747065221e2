// CRUD for every stored kind under /v1/<route> (event types, actions, fragments, ...).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { objectKinds, withArticle } from '../../runtime/object-kinds.ts';
import { archiveMarks, keysInUse } from '../../runtime/references.ts';
import { objectPermission } from '../../access/permissions.ts';
import { notFound } from '../../errors.ts';
import { labelsOf } from '../../model/labels.ts';
import { displayName } from '../../runtime/search/display-name.ts';
import { sandboxOf } from '../context.ts';
import { ifMatchOf, objectEtag } from '../etag.ts';
import { assertMayLabel, inUseAsSeen, labelFilter } from '../label-access.ts';
import { openApi } from './request-input.ts';

export function objectRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    for (const kind of objectKinds) {
      // Secrets never leave: every answer shows them redacted.
      // `name`: what lists show (the spec's display name; the key for kinds without one). `etag`: what If-Match takes.
      const view = (o: {
        key: string;
        body: unknown;
        revision: number;
        createdAt: string;
        updatedAt: string;
      }) => ({
        key: o.key,
        name: displayName(o.key, o.body),
        revision: o.revision,
        etag: objectEtag(o.revision),
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
        spec: app.objects.secrets.redact(kind.kind, o.body),
        ...needsSecretOf(o.body),
      });
      // Secrets that came redacted from a package: the object fails on use until they are sent.
      const needsSecretOf = (body: unknown): { needsSecret?: string[] } => {
        const paths = app.objects.secrets.needsSecret(kind.kind, body as Record<string, unknown>);
        return paths.length > 0 ? { needsSecret: paths } : {};
      };
      const tags = [kind.title];
      let bodySchema: unknown;
      try {
        // `reused: 'ref'`: a part used twice (an email content in a template's blocks, a landing
        // page's pages) is one definition, not a copy per use (the OpenAPI document stays small
        // enough for the API explorer: inlined, a landing page's schema alone was 1.9 MB).
        bodySchema = openApi(kind.schema, { reused: 'ref' });
      } catch {
        bodySchema = { type: 'object' };
      }
      const read = objectPermission(kind.kind, 'view');
      const manage = objectPermission(kind.kind, 'manage');
      // OLAC: an object whose labels the caller lacks is not found, whatever is asked of it.
      const visibleOne = async (req: FastifyRequest, key: string) => {
        const o = await app.objects.get(sandboxOf(req), kind.kind, key);
        if (!labelFilter(req)(labelsOf(o.body))) throw notFound(kind.title, key);
        return o;
      };
      /** Before a put: the stored object must be visible, and the labels added or removed held. */
      const checkPut = async (req: FastifyRequest, expectedKey?: string) => {
        const key = expectedKey ?? app.objects.parse(kind.kind, req.body).key;
        const existing = await app.reads.getObject(sandboxOf(req), kind.kind, key);
        const before = existing ? labelsOf(existing.body) : [];
        if (existing && !labelFilter(req)(before)) throw notFound(kind.title, key);
        assertMayLabel(req, before, labelsOf(req.body));
      };
      f.get(
        `/${kind.route}`,
        { schema: { tags, summary: `List ${kind.title}s` }, config: { permission: read } },
        async (req) => {
          const visible = labelFilter(req);
          const items = (await app.objects.list(sandboxOf(req), kind.kind)).filter((o) =>
            visible(labelsOf(o.body)),
          );
          const archived = await archiveMarks(app.reads, sandboxOf(req));
          const inUse = await keysInUse(
            app.reads,
            sandboxOf(req),
            kind.kind,
            items.map((o) => o.key),
          );
          return {
            items: items.map((o) => ({
              ...view(o),
              inUse: inUse.has(o.key),
              ...(archived.has(`${kind.kind}:${o.key}`) ? { archived: true } : {}),
            })),
          };
        },
      );
      f.get<{ Params: { key: string } }>(
        `/${kind.route}/:key`,
        {
          schema: { tags, summary: `Read ${withArticle(kind.title)} (ETag: its revision)` },
          config: { permission: read },
        },
        async (req, reply) => {
          const o = await visibleOne(req, req.params.key);
          return reply.header('etag', objectEtag(o.revision)).send(view(o));
        },
      );
      f.post(
        `/${kind.route}`,
        {
          schema: {
            tags,
            summary: `Create or replace ${withArticle(kind.title)} (with If-Match: only over that revision, else 409 version_conflict)`,
            body: bodySchema,
          },
          config: { permission: manage },
        },
        async (req, reply) => {
          await checkPut(req);
          const r = await app.objects.put(
            sandboxOf(req),
            kind.kind,
            req.body,
            undefined,
            ifMatchOf(req)?.revision,
          );
          return reply
            .status(r.status === 'created' ? 201 : 200)
            .header('etag', objectEtag(r.object.revision))
            .send({ status: r.status, ...view(r.object) });
        },
      );
      f.put<{ Params: { key: string } }>(
        `/${kind.route}/:key`,
        {
          schema: {
            tags,
            summary: `Replace ${withArticle(kind.title)} (with If-Match: only over that revision, else 409 version_conflict)`,
            body: bodySchema,
          },
          config: { permission: manage },
        },
        async (req, reply) => {
          await checkPut(req, req.params.key);
          const r = await app.objects.put(
            sandboxOf(req),
            kind.kind,
            req.body,
            req.params.key,
            ifMatchOf(req)?.revision,
          );
          return reply
            .status(r.status === 'created' ? 201 : 200)
            .header('etag', objectEtag(r.object.revision))
            .send({ status: r.status, ...view(r.object) });
        },
      );
      f.delete<{ Params: { key: string } }>(
        `/${kind.route}/:key`,
        {
          schema: { tags, summary: `Delete ${withArticle(kind.title)}` },
          config: { permission: objectPermission(kind.kind, 'delete') },
        },
        async (req, reply) => {
          await visibleOne(req, req.params.key);
          await app.objects
            .delete(sandboxOf(req), kind.kind, req.params.key)
            .catch(async (e: unknown) => {
              throw await inUseAsSeen(req, app.reads, sandboxOf(req), e);
            });
          return reply.status(204).send();
        },
      );
    }
  };
}
