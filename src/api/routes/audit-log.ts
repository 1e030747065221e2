// The audit log: GET /v1/audit-log (paged, newest first) and GET /v1/audit-log/export (JSON lines,
// every page). The caller reads the request sandbox's entries (or another sandbox's where it holds
// audit.view), and the entries outside any sandbox (people, roles, keys, sign-ins) only with
// audit.view in every sandbox.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can, canEverywhere } from '../../access/policy.ts';
import { sandboxNameSchema } from '../../model/common.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import type { AuditQueryScope } from '../../runtime/access/audit-log.ts';
import type { AuditEntry } from '../../access/api-types.ts';
import { principalOf } from '../principal.ts';
import { visibleAuditEntries } from '../label-access.ts';
import { openApi, parseInput } from './request-input.ts';

const tags = ['audit'];
const isoTime = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
    'an ISO-8601 date or date-time',
  )
  .transform((s) => Date.parse(s));
const filterSchema = z
  .object({
    object: z.string().min(1).max(300).optional(),
    actor: z.string().min(1).max(300).optional(),
    action: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*(\.\*)?$/,
        'an action such as journey.publish, or an area such as journey.*',
      )
      .max(100)
      .optional(),
    sandbox: z.union([sandboxNameSchema, z.literal('*')]).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    before: z
      .string()
      .regex(/^[0-9a-f-]{1,64}$/, 'the `next` of the previous page')
      .optional(),
  })
  .strict();
const pageSchema = filterSchema
  .extend({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();
const exportSchema = filterSchema
  .extend({ limit: z.coerce.number().int().min(1).max(1_000_000).optional() })
  .strict();

type Filters = z.infer<typeof filterSchema>;

/** The query the caller may make: its sandbox scope checked against its grants. */
function scoped(req: FastifyRequest, f: Filters, limit: number): AuditQueryScope {
  const p = principalOf(req);
  const everywhere = canEverywhere(p, 'audit.view');
  let sandbox: string | undefined = f.sandbox ?? p.sandbox;
  if (sandbox === '*') {
    if (!everywhere)
      throw new WaymarkError(
        ErrorCode.Forbidden,
        "permission needed: audit.view in every sandbox (to read every sandbox's entries)",
        { details: { permission: 'audit.view' } },
      );
    sandbox = undefined;
  } else if (sandbox !== p.sandbox && !can(p, sandbox, 'audit.view')) {
    throw new WaymarkError(
      ErrorCode.Forbidden,
      `permission needed: audit.view in sandbox "${sandbox}"`,
      { details: { permission: 'audit.view', sandbox } },
    );
  }
  return {
    ...(sandbox !== undefined ? { sandbox, withGlobal: everywhere } : {}),
    ...(f.object !== undefined ? { object: f.object } : {}),
    ...(f.actor !== undefined ? { actor: f.actor } : {}),
    ...(f.action !== undefined ? { action: f.action } : {}),
    ...(f.since !== undefined ? { since: f.since } : {}),
    ...(f.until !== undefined ? { until: f.until } : {}),
    ...(f.before !== undefined ? { before: f.before } : {}),
    limit,
  };
}

export function auditLogRoutes(app: Waymark) {
  const audit = app.access.audit;
  /** An approval's journey, to hide its entries with the journey (the approvals looked up once a request per sandbox). */
  const approvalJourneys = (): ((sandbox: string, id: string) => Promise<string | undefined>) => {
    const bySandbox = new Map<string, Promise<Map<string, string>>>();
    return async (sandbox, id) => {
      let m = bySandbox.get(sandbox);
      if (m === undefined) {
        m = app.access.approvals.list(sandbox, {}).then(
          (as) => new Map(as.map((a) => [a.id, a.object.id] as const)),
          () => new Map<string, string>(),
        );
        bySandbox.set(sandbox, m);
      }
      return (await m).get(id);
    };
  };
  /**
   * A page as the caller may read it (access labels): entries about objects and journeys it does not
   * see are left out, and pages are filled from the next ones so that a page is short only at the end.
   */
  async function visiblePage(
    req: FastifyRequest,
    q: AuditQueryScope,
  ): Promise<{ items: AuditEntry[]; next: string | null }> {
    const approvalJourney = approvalJourneys();
    const items: AuditEntry[] = [];
    let before = q.before;
    for (;;) {
      const page = await audit.query({
        ...q,
        ...(before !== undefined ? { before } : {}),
        limit: q.limit - items.length,
      });
      items.push(...(await visibleAuditEntries(req, app.reads, approvalJourney, page.items)));
      if (page.next === null) return { items, next: null };
      before = page.next;
      if (items.length >= q.limit) return { items, next: before };
    }
  }
  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/audit-log',
      {
        config: { permission: 'audit.view' },
        schema: {
          tags,
          summary:
            "Who changed what, newest first: ?object=kind:key or key, ?actor=id or name, ?action=journey.publish or journey.*, ?since=, ?until= (ISO-8601), ?sandbox= (another sandbox, or * for all), ?limit= (at most 500), ?before= (the previous page's next)",
          querystring: openApi(pageSchema),
        },
      },
      async (req) => {
        const q = parseInput(pageSchema, req.query ?? {}, 'query');
        return visiblePage(req, scoped(req, q, q.limit));
      },
    );

    f.get(
      '/audit-log/export',
      {
        config: { permission: 'audit.view' },
        schema: {
          tags,
          summary:
            'The audit log as JSON lines (application/x-ndjson), one entry a line, newest first; the same filters, every page (?limit= caps the total)',
          querystring: openApi(exportSchema),
        },
      },
      async (req, reply) => {
        const q = parseInput(exportSchema, req.query ?? {}, 'query');
        const first = scoped(req, q, 500);
        const cap = q.limit ?? Number.POSITIVE_INFINITY;
        async function* lines(): AsyncGenerator<string> {
          let before = first.before;
          let sent = 0;
          while (sent < cap) {
            const page = await visiblePage(req, {
              ...first,
              ...(before !== undefined ? { before } : {}),
              limit: Math.min(500, cap - sent),
            });
            for (const e of page.items) yield `${JSON.stringify(e)}\n`;
            sent += page.items.length;
            if (page.next === null) return;
            before = page.next;
          }
        }
        const day = new Date(app.clock.now()).toISOString().slice(0, 10);
        return reply
          .header('content-type', 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-log-${day}.ndjson"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(lines()));
      },
    );
  };
}
