// Packages: apply many objects from one JSON or YAML document; export the sandbox as one.
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import type { Waymark } from '../../runtime/app.ts';
import { parsePackageText } from '../../runtime/packages.ts';
import { sandboxOf } from '../context.ts';

export function packageRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser(['text/yaml', 'application/yaml', 'application/x-yaml'], { parseAs: 'string' }, (_req, body, done) => {
      try { done(null, parsePackageText(body as string)); } catch (e) { done(e as Error); }
    });
    f.post('/packages/apply', { schema: { tags: ['packages'], summary: 'Create or update every object of a package (JSON, or YAML with Content-Type text/yaml)' } }, async (req) => app.packages.apply(sandboxOf(req), req.body));
    f.post('/packages/validate', { schema: { tags: ['packages'], summary: 'Check a package without applying it' } }, async (req) => {
      const pkg = app.packages.validate(req.body);
      return { valid: true, objects: pkg.objects.length };
    });
    f.get<{ Querystring: { format?: string } }>('/packages/export', { schema: { tags: ['packages'], summary: 'Export the sandbox as a package (?format=yaml for YAML)' } }, async (req, reply) => {
      const pkg = await app.packages.export(sandboxOf(req));
      if (req.query.format === 'yaml') return reply.type('text/yaml').send(stringify(pkg));
      return pkg;
    });
  };
}
