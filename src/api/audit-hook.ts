// The audit hook: one audit entry for every change the API answers with success. Which routes are
// changes, and what each records, is in audit-routes.ts; routes add or override with noteAudit
// (audit-note.ts). Objects and journeys are read before the handler and again after it, and the
// entry holds the difference, secrets redacted. The entry is written before the answer leaves, so
// that whoever got the answer finds it in the log; a failure to write it is logged, never answered.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AuditChange, AuditEntry } from '../access/api-types.ts';
import type { Waymark } from '../runtime/app.ts';
import { objectKindByName } from '../runtime/object-kinds.ts';
import { diffSnapshots, type Snapshot } from './audit-diff.ts';
import type { AuditNote } from './audit-note.ts';
import {
  AUDITED_ROUTES,
  derivedPlan,
  NOT_AUDITED,
  PUBLIC_NOT_AUDITED,
  type AuditContext,
  type AuditPlan,
  type SnapshotSpec,
} from './audit-routes.ts';
import { sandboxOf } from './context.ts';

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Pending {
  readonly plan: AuditPlan;
  readonly sandbox: string;
  object: { kind: string; key: string } | null;
  before: Snapshot | undefined;
  name: string | undefined;
}

const pending = new WeakMap<FastifyRequest, Pending>();

/** The route's key in AUDITED_ROUTES / NOT_AUDITED: its method and URL pattern. */
const routeKey = (req: FastifyRequest): string | null =>
  req.routeOptions.url ? `${req.method} ${req.routeOptions.url}` : null;

/**
 * What the hook does with a route: a plan, or null when it records nothing. Listed routes follow
 * their entry; public routes and routes that declare a '.view' permission are read-only unless
 * listed; any other change is recorded under a name derived from its URL.
 */
export function auditPlanFor(
  method: string,
  url: string,
  config: { access?: string; permission?: string } = {},
): AuditPlan | null {
  const key = `${method} ${url}`;
  const listed = AUDITED_ROUTES[key];
  if (listed) return listed;
  if (!CHANGING.has(method) || NOT_AUDITED[key] !== undefined || PUBLIC_NOT_AUDITED.has(key))
    return null;
  if (config.permission === 'public') return null;
  if (typeof config.permission === 'string' && config.permission.endsWith('.view')) return null;
  return derivedPlan(method, url);
}

const displayName = (key: string, body: unknown): string => {
  const b = body as { name?: unknown; title?: unknown } | null;
  if (b && typeof b.name === 'string' && b.name !== '') return b.name;
  if (b && typeof b.title === 'string' && b.title !== '') return b.title;
  return key;
};

async function snapshot(
  app: Waymark,
  spec: SnapshotSpec,
  sandbox: string,
  key: string,
  req: FastifyRequest,
): Promise<{ snap: Snapshot | undefined; name?: string; key?: string }> {
  const store = app.reads;
  if (spec.of === 'object') {
    if (!objectKindByName.has(spec.kind)) return { snap: undefined };
    const o = await store.getObject<Record<string, unknown>>(sandbox, spec.kind, key);
    return o === null
      ? { snap: undefined }
      : {
          snap: { stored: o.body, shown: app.objects.secrets.redact(spec.kind, o.body) },
          name: displayName(key, o.body),
        };
  }
  if (spec.of === 'journey') {
    const versions = await store.getJourneyVersions(sandbox, key);
    if (versions.length === 0) return { snap: undefined };
    // Versions by number, with what a person changes: the status and the definition (times are noise).
    const view = Object.fromEntries(
      versions.map((v) => [`v${v.version}`, { status: v.status, definition: v.definition }]),
    );
    return {
      snap: { stored: view, shown: view },
      name: versions[versions.length - 1]!.definition.name,
    };
  }
  // A profile: only its id, resolved from the identity in the path.
  const params = req.params as Record<string, string>;
  const id =
    params['namespace'] !== undefined && params['id'] !== undefined
      ? await store.findProfileId(sandbox, params['namespace'], params['id'])
      : null;
  return id === null ? { snap: undefined } : { snap: { stored: null, shown: null }, key: id };
}

function parseAnswer(payload: unknown, reply: FastifyReply): unknown {
  const type = String(reply.getHeader('content-type') ?? '');
  if (!/json/i.test(type)) return undefined;
  const text =
    typeof payload === 'string'
      ? payload
      : Buffer.isBuffer(payload)
        ? payload.toString('utf8')
        : undefined;
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function requestSandbox(req: FastifyRequest): string {
  if (req.principal) return req.principal.sandbox;
  try {
    return sandboxOf(req);
  } catch {
    return 'prod';
  }
}

export function registerAuditHook(f: FastifyInstance, app: Waymark): void {
  f.decorateRequest('auditNote', null);

  f.addHook('preHandler', async (req) => {
    const key = routeKey(req);
    if (key === null) return;
    const plan = auditPlanFor(req.method, req.routeOptions.url!, req.routeOptions.config ?? {});
    if (plan === null) return;
    const sandbox = requestSandbox(req);
    const p: Pending = { plan, sandbox, object: null, before: undefined, name: undefined };
    pending.set(req, p);
    try {
      p.object =
        plan.object?.({
          params: req.params as Record<string, string>,
          body: req.body,
          query: (req.query ?? {}) as Record<string, unknown>,
        }) ?? null;
      if (plan.snapshot) {
        const s = await snapshot(app, plan.snapshot, sandbox, p.object?.key ?? '', req);
        p.before = s.snap;
        p.name = s.name;
        if (s.key !== undefined) p.object = { kind: 'profile', key: s.key };
      }
    } catch (error) {
      req.log.warn({ err: error }, 'the audit log could not read the state before a change');
    }
  });

  f.addHook('onSend', async (req, reply, payload) => {
    const p = pending.get(req);
    const note = req.auditNote;
    if (p === undefined && !(note?.action && !note.skip)) return payload;
    pending.delete(req);
    try {
      await write(app, req, reply, payload, p, note);
    } catch (error) {
      req.log.warn({ err: error }, 'the audit log could not record a change');
    }
    return payload;
  });
}

async function write(
  app: Waymark,
  req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  p: Pending | undefined,
  note: AuditNote | null,
): Promise<void> {
  if (note?.skip) return;
  const status = reply.statusCode;
  const plan = p?.plan;
  // A noted sign-in may answer with a redirect (single sign-on's callback).
  const ok =
    (status >= 200 && status < 300) ||
    (status >= 300 && status < 400 && note?.action !== undefined && note.actor !== undefined);
  const failure = !ok && plan?.alsoOn?.status === status ? plan.alsoOn : undefined;
  if (!ok && failure === undefined) return;

  const answer = parseAnswer(payload, reply);
  const sandbox = p?.sandbox ?? requestSandbox(req);
  const ctx: AuditContext = {
    params: req.params as Record<string, string>,
    body: req.body,
    query: (req.query ?? {}) as Record<string, unknown>,
    answer,
    status,
    existed: plan?.snapshot ? p?.before !== undefined : undefined,
  };

  let actor: Actor | null = note?.actor ?? req.principal?.actor ?? null;
  if (failure) actor = failure.actor(req.body);
  else if (plan?.actorFromAnswer) actor = plan.actorFromAnswer(answer) ?? actor;
  if (actor === null) return;

  let object = p?.object ?? null;
  if (object === null && plan?.object) object = plan.object({ ...ctx }) ?? null;

  let changes: readonly AuditChange[] = [];
  let more = 0;
  let name = p?.name;
  if (plan?.snapshot && (object !== null || plan.snapshot.of === 'profile') && !failure) {
    const after = await snapshot(app, plan.snapshot, sandbox, object?.key ?? '', req);
    if (plan.snapshot.of === 'profile') {
      if (after.key !== undefined) object = { kind: 'profile', key: after.key };
    } else {
      const d = diffSnapshots(p?.before, after.snap);
      // A save that changed nothing (the same body again) is no change.
      if (
        d.changes.length === 0 &&
        p?.before !== undefined &&
        after.snap !== undefined &&
        !note?.action
      )
        return;
      changes = d.changes;
      more = d.more;
      name = after.name ?? name;
    }
  }

  const action = failure
    ? failure.action
    : (note?.action ??
      (plan ? (typeof plan.action === 'string' ? plan.action : plan.action(ctx)) : 'unknown'));
  const entryObject: AuditEntry['object'] =
    note?.object !== undefined
      ? note.object
      : object === null
        ? null
        : { ...object, ...(name !== undefined ? { name } : {}) };
  const details = {
    ...(plan?.details?.(ctx) ?? {}),
    ...(more > 0 ? { moreChanges: more } : {}),
    ...(note?.details ?? {}),
  };
  await app.access.audit.record({
    sandbox: note?.sandbox !== undefined ? note.sandbox : plan?.sandbox === 'none' ? null : sandbox,
    actor,
    action,
    object: entryObject,
    changes: note?.changes ?? changes,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  });
}
