// Packages: plan and apply many objects from one JSON or YAML document; export the sandbox, or a
// journey (or a few objects) with everything it uses, as one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { parseRefId, type ObjectRef } from '../../runtime/dependency-graph.ts';
import { objectKindByName } from '../../runtime/object-kinds.ts';
import { packageKey, parsePackageText } from '../../runtime/packages.ts';
import { labelsOfRefs } from '../../runtime/references.ts';
import { labelsOf } from '../../model/labels.ts';
import { sandboxOf } from '../context.ts';
import { assertMayLabel, labelFilter } from '../label-access.ts';
import { noteAudit } from '../audit-note.ts';
import { applyRequestSchema, packageSchema } from '../../model/package.ts';
import { openApi } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  packageApplyAnswer,
  packageExportAnswer,
  packagePlanAnswer,
  packageValidateAnswer,
} from '../../isomorphic/api/packages.ts';

/** For the OpenAPI document: a bare package, or the package with a choice per conflict. */
const applyBody = openApi(
  z.union([packageSchema, applyRequestSchema.extend({ package: packageSchema })]),
);

/** Packages carry asset images (base64): more room than other bodies. */
const PACKAGE_BODY_LIMIT = 64 * 1024 * 1024;

const list = (v: string | string[] | undefined): string[] =>
  v === undefined
    ? []
    : (Array.isArray(v) ? v : [v])
        .flatMap((x) => x.split(','))
        .map((x) => x.trim())
        .filter(Boolean);

function objectRefs(values: string[]): ObjectRef[] {
  return values.map((text) => {
    const r = parseRefId(text);
    if (!r || (r.kind !== 'journey' && !objectKindByName.has(r.kind))) {
      throw new WaymarkError(ErrorCode.BadRequest, 'the objects parameter is invalid', {
        issues: [
          {
            path: 'query.objects',
            message: 'each item is kind:key',
            expected: `kind:key with kind one of journey, ${[...objectKindByName.keys()].join(', ')}`,
            received: text,
          },
        ],
      });
    }
    return r;
  });
}

export function packageRoutes(app: Waymark) {
  /**
   * OLAC before a plan or an apply: a package may not overwrite what the caller cannot see (refused
   * naming nothing), nor add or remove labels the caller does not hold (refused naming them).
   */
  async function checkLabels(req: FastifyRequest): Promise<void> {
    const body = req.body;
    const wrapped =
      body !== null &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      'package' in body &&
      !('format' in body);
    const pkg = app.packages.validate(wrapped ? (body as { package: unknown }).package : body);
    const sandbox = sandboxOf(req);
    const refs = pkg.objects
      .filter((o) => o.kind !== 'profile')
      .map((o) => ({ kind: o.kind, key: packageKey(o) }));
    const stored = await labelsOfRefs(app.reads, sandbox, refs);
    const visible = labelFilter(req);
    if (refs.some((r) => !visible(stored.get(`${r.kind}:${r.key}`)))) {
      throw new WaymarkError(
        ErrorCode.Forbidden,
        'the package changes objects your role may not access (access labels): ask someone who holds their labels to apply it',
      );
    }
    for (const o of pkg.objects)
      if (o.kind !== 'profile')
        assertMayLabel(req, stored.get(`${o.kind}:${packageKey(o)}`) ?? [], labelsOf(o.spec));
  }

  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser(
      ['text/yaml', 'application/yaml', 'application/x-yaml'],
      { parseAs: 'string', bodyLimit: PACKAGE_BODY_LIMIT },
      (_req, body, done) => {
        try {
          done(null, parsePackageText(body as string));
        } catch (e) {
          done(e as Error);
        }
      },
    );
    f.post(
      '/packages/apply',
      {
        bodyLimit: PACKAGE_BODY_LIMIT,
        schema: {
          tags: ['packages'],
          summary:
            'Create or update every object of a package (a bare package, JSON or YAML with Content-Type text/yaml, or {package, conflicts: {"kind:key": "use-existing" | "replace" | "copy"}, defaultConflict}); reported per object, with hosts not allowed and secrets to set',
          body: applyBody,
        },
        config: { permission: 'packages.import' },
      },
      async (req): Promise<Answer<typeof packageApplyAnswer>> => {
        await checkLabels(req);
        return app.packages.apply(sandboxOf(req), req.body);
      },
    );
    f.post(
      '/packages/plan',
      {
        bodyLimit: PACKAGE_BODY_LIMIT,
        schema: {
          tags: ['packages'],
          summary:
            'What applying would do, per object: new, same or differs (with the choice and the copy key), hosts not allowed, secrets to set; nothing is written',
          body: applyBody,
        },
        config: { permission: 'packages.import' },
      },
      async (req): Promise<Answer<typeof packagePlanAnswer>> => {
        await checkLabels(req);
        noteAudit(req, { skip: true });
        return app.packages.plan(sandboxOf(req), req.body);
      },
    );
    f.post(
      '/packages/validate',
      {
        bodyLimit: PACKAGE_BODY_LIMIT,
        schema: { tags: ['packages'], summary: 'Check a package without applying it' },
        config: { permission: 'packages.import' },
      },
      async (req): Promise<Answer<typeof packageValidateAnswer>> => {
        noteAudit(req, { skip: true });
        const pkg = app.packages.validate(req.body);
        return { valid: true, objects: pkg.objects.length };
      },
    );
    f.get<{
      Querystring: {
        format?: string;
        journey?: string | string[];
        objects?: string | string[];
        name?: string;
      };
    }>(
      '/packages/export',
      {
        schema: {
          tags: ['packages'],
          summary:
            'Export the sandbox as a package; ?journey=ID (or ?objects=kind:key,...) exports those with everything they use, assets with their images (?format=yaml for YAML). Objects the caller may not access (access labels) are left out of a sandbox export; a selection that names or uses one is refused',
        },
        config: { permission: 'packages.export' },
      },
      async (req, reply) => {
        const journeys = list(req.query.journey);
        const objects = objectRefs(list(req.query.objects));
        const visible = labelFilter(req);
        const pkg = await app.packages.export(sandboxOf(req), {
          journeys,
          objects,
          visible,
          ...(req.query.name ? { name: req.query.name } : {}),
        });
        if (req.query.format === 'yaml') return reply.type('text/yaml').send(stringify(pkg));
        const answer: Answer<typeof packageExportAnswer> = pkg;
        return answer;
      },
    );
  };
}
