// Rendering API: a message, a content template or a bare template in, the personalized result out.
// Wiring: `await v1.register(renderRoutes({ library: (sandbox) => store.contentLibrary(sandbox) }))` behind authentication.
//   POST /render                {content | templateId | template(+data), profile? | profileId?, context?, audiences?, now?, configuration?}
//        profileId: a stored profile's id, or an identity {namespace, id}. Without `audiences`, a stored profile's
//        memberships (as a send reads them) decide audience variants; the answer then names them in `usedAudiences`.
//        -> 200 RenderOutcome (& usedAudiences: string[], the realized audiences used, with profileId or audiences; ok:false with reason no_locale/render_error/limit_exceeded is still a 200: it is the answer;
//           limit_exceeded carries `limit: {name, max, where: {field, line}}`). `configuration` names a channel
//           configuration whose renderLimits apply (as at send time); an unknown name is a 404.
//        -> 200 {output} for a bare template; 422 {error: {code, message, diagnostics}} when the content does not compile
//   POST /render/proof          {same as /render, address} -> 200 {sent, messageId?, rendered} (needs opts.sendProof)
//   POST /render/template-edit  {templateId, before, after} -> 200 {violations: []} | 409 {error: {code: 'conflict', issues}}
// The sandbox is the x-sandbox-name header (default 'prod').
import { parseInstant } from '../../expr/time.ts';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import {
  applyContentTemplate,
  checkTemplateEdit,
  compileMessage,
  defaultLimits,
  withRenderLimits,
  renderInline,
  type ContentLibrary,
  type RenderInput,
  type RenderLimits,
  type RenderOutcome,
} from '../../content/index.ts';
import { messageContentSchema, type MessageContent } from '../../model/message-content.ts';
import type { DecidedOffer } from '../../content/decisions.ts';
import type { PageLinker } from '../../content/render-state.ts';
import { can } from '../../access/policy.ts';
import { principalOf } from '../principal.ts';
import { labelFilter, visibleLibrary, type LabelFilter } from '../label-access.ts';

export interface RenderRoutesOptions {
  /** Offers for the decision policies a message names, decided as a send would but recorded nowhere. */
  readonly decisions?: (
    sandbox: string,
    who: { readonly profileId: string } | { readonly attributes: unknown },
    policies: readonly string[],
  ) => Promise<Readonly<Record<string, readonly DecidedOffer[]>>>;
  readonly library: (sandbox: string) => Promise<ContentLibrary>;
  /**
   * What `{{landingPageUrl "slug"}}` writes in a preview: the page's address signed for the stored
   * profile when it is a test profile (so the preview's link opens the page as that profile), the
   * plain address otherwise. Without it the helper writes nothing.
   */
  readonly pageLink?: (
    sandbox: string,
    profileId: string | undefined,
  ) => Promise<PageLinker | undefined>;
  /** Resolves `profileId` (a test profile) to its attributes; without it, only inline profiles are accepted. */
  readonly profile?: (sandbox: string, profileId: string) => Promise<unknown>;
  /** A stored profile's id from one of its identities (undefined when there is none). */
  readonly profileByIdentity?: (
    sandbox: string,
    namespace: string,
    id: string,
  ) => Promise<string | undefined>;
  /** A stored profile's audience memberships (name -> realized | exited), as a send reads them. */
  readonly memberships?: (
    sandbox: string,
    profileId: string,
  ) => Promise<Readonly<Record<string, 'realized' | 'exited'>>>;
  /** Sends a rendered message as a proof to `address` through the configured channel (POST /render/proof). */
  readonly sendProof?: (
    sandbox: string,
    rendered: RenderOutcome & { ok: true },
    address: string,
  ) => Promise<{ messageId?: string }>;
  /** The render bounds of a channel configuration (its renderLimits), undefined when it does not exist. */
  readonly renderLimits?: (
    sandbox: string,
    configuration: string,
  ) => Promise<RenderLimits | undefined>;
  /**
   * The access labels of a stored object (audience, channel configuration), [] when it has none or
   * does not exist: what the caller's labels do not reach is treated as missing. Without it, only
   * fragments and content templates are filtered (through the library).
   */
  readonly objectLabels?: (
    sandbox: string,
    kind: string,
    key: string,
  ) => Promise<readonly string[]>;
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
const bad = (path: string, message: string, expected: string, received: unknown): WaymarkError =>
  new WaymarkError(ErrorCode.BadRequest, message, {
    issues: [{ path, message, expected, received: kindOf(received) }],
  });

function sandbox(req: FastifyRequest): string {
  const h = req.headers['x-sandbox-name'];
  const v = Array.isArray(h) ? h[0] : h;
  return typeof v === 'string' && v !== '' ? v : 'prod';
}

function nowOf(v: unknown): number {
  if (v === undefined) return Date.now();
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const at = typeof v === 'string' ? parseInstant(v) : null;
  if (at !== null) return at.ms;
  throw bad(
    'body.now',
    'now must be an ISO-8601 date-time (with Z, an offset or a [zone id]) or epoch milliseconds',
    'string | number',
    v,
  );
}

function parseContent(v: unknown, path: string): MessageContent {
  const r = messageContentSchema.safeParse(v);
  if (!r.success) {
    throw new WaymarkError(ErrorCode.ValidationFailed, 'the content is invalid', {
      issues: r.error.issues.map((i) => ({
        path: [path, ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    });
  }
  return r.data;
}

/** The bounds named by body.configuration, or none. */
async function limitsOf(
  opts: RenderRoutesOptions,
  sb: string,
  body: Record<string, unknown>,
  visible: LabelFilter,
): Promise<RenderLimits | undefined> {
  const name = body['configuration'];
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name === '')
    throw bad(
      'body.configuration',
      'configuration must name a channel configuration',
      'string',
      name,
    );
  const hidden =
    opts.objectLabels !== undefined &&
    !visible(await opts.objectLabels(sb, 'channelConfiguration', name));
  const limits =
    opts.renderLimits === undefined || hidden ? undefined : await opts.renderLimits(sb, name);
  if (limits === undefined)
    throw new WaymarkError(ErrorCode.NotFound, `channel configuration "${name}" does not exist`, {
      details: { what: 'channel configuration', key: name },
    });
  return limits;
}

/** body.profileId as a stored profile's id: a string, or an identity {namespace, id}. */
async function profileIdOf(
  opts: RenderRoutesOptions,
  sb: string,
  v: unknown,
): Promise<string | undefined> {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v !== '') return v;
  const r = rec(v);
  if (
    typeof r['namespace'] === 'string' &&
    typeof r['id'] === 'string' &&
    r['namespace'] !== '' &&
    r['id'] !== ''
  ) {
    if (opts.profileByIdentity === undefined)
      throw bad(
        'body.profileId',
        'this server does not look profiles up by identity: send the profile id',
        'string',
        v,
      );
    const id = await opts.profileByIdentity(sb, r['namespace'], r['id']);
    if (id === undefined)
      throw new WaymarkError(
        ErrorCode.NotFound,
        `no profile with identity ${r['namespace']}:${r['id']}`,
        { details: { what: 'profile', key: `${r['namespace']}:${r['id']}` } },
      );
    return id;
  }
  throw bad(
    'body.profileId',
    'profileId is a profile id or an identity {namespace, id}',
    'string | {namespace: string, id: string}',
    v,
  );
}

type MessageRender = RenderOutcome & { usedAudiences?: string[] };

/** A stored profile's memberships of the audiences the caller may see: a hidden audience is neither named nor probed through a condition. */
async function visibleMemberships(
  opts: RenderRoutesOptions,
  sb: string,
  profileId: string,
  visible: LabelFilter,
): Promise<Record<string, 'realized' | 'exited'>> {
  const all = opts.memberships === undefined ? {} : await opts.memberships(sb, profileId);
  const out: Record<string, 'realized' | 'exited'> = {};
  for (const [name, status] of Object.entries(all)) {
    if (opts.objectLabels === undefined || visible(await opts.objectLabels(sb, 'audience', name)))
      out[name] = status;
  }
  return out;
}

async function renderMessage(
  opts: RenderRoutesOptions,
  sb: string,
  body: Record<string, unknown>,
  now: number,
  visible: LabelFilter,
): Promise<MessageRender | { error: Record<string, unknown> }> {
  const limits = await limitsOf(opts, sb, body, visible);
  // Fragments and content templates the caller's labels do not reach are missing: the same answer as for ones that do not exist.
  const library = visibleLibrary(await opts.library(sb), visible);
  let content: MessageContent;
  if (typeof body['templateId'] === 'string') {
    const t = library.contentTemplate(body['templateId']);
    if (t === undefined)
      throw new WaymarkError(
        ErrorCode.NotFound,
        `content template "${body['templateId']}" does not exist`,
        { details: { what: 'content template', key: body['templateId'] } },
      );
    content = applyContentTemplate(t);
  } else if (body['content'] !== undefined) {
    content = parseContent(body['content'], 'body.content');
  } else {
    throw bad(
      'body',
      'give content, templateId or template',
      'content | templateId | template',
      body,
    );
  }
  const compiled = await compileMessage(content, library);
  if (!compiled.ok)
    return {
      error: {
        code: 'invalid_content',
        message: compiled.diagnostics[0]?.message ?? 'invalid content',
        diagnostics: compiled.diagnostics,
      },
    };
  let profile: unknown = body['profile'] ?? {};
  const profileId = await profileIdOf(opts, sb, body['profileId']);
  if (profileId !== undefined) {
    if (opts.profile === undefined)
      throw bad(
        'body.profileId',
        'this server does not look profiles up: send profile',
        'profile',
        body['profileId'],
      );
    profile = await opts.profile(sb, profileId);
    if (profile === undefined)
      throw new WaymarkError(ErrorCode.NotFound, `profile "${profileId}" does not exist`, {
        details: { what: 'profile', key: profileId },
      });
  }
  // Audience variants preview as they send: a stored profile's own memberships unless the body gives some.
  let audiences = rec(body['audiences']) as Record<string, 'realized' | 'exited'>;
  if (body['audiences'] === undefined && profileId !== undefined && opts.memberships !== undefined)
    audiences = await visibleMemberships(opts, sb, profileId, visible);
  // `context.journey` is a journey's context; any other key is a call's context, {{context.…}}
  // in content, as an API-triggered campaign's call gives it (src/runtime/messages.ts).
  const { journey: journeyContext, ...callContext } = rec(body['context']);
  const ctx = rec(journeyContext);
  const input: RenderInput = {
    profile,
    context: {
      ...callContext,
      journey: {
        events: rec(ctx['events']),
        actions: rec(ctx['actions']),
        technicalProperties: rec(ctx['technicalProperties']),
      },
    },
    audiences,
    now,
    ...(limits === undefined ? {} : { limits }),
  };
  const link = opts.pageLink === undefined ? undefined : await opts.pageLink(sb, profileId);
  if (link !== undefined) input.pageLink = link;
  const policies = compiled.message.decisionPolicies;
  if (policies.length > 0 && opts.decisions !== undefined)
    input.decisions = await opts.decisions(
      sb,
      profileId !== undefined ? { profileId } : { attributes: profile },
      policies,
    );
  const out = compiled.message.render(input);
  // Named when the render is for someone (a stored profile, or audiences given): what the preview shows as "in audiences".
  const forSomeone = profileId !== undefined || body['audiences'] !== undefined;
  return out.ok && forSomeone
    ? {
        ...out,
        usedAudiences: Object.keys(audiences)
          .filter((a) => audiences[a] === 'realized')
          .sort(),
      }
    : out;
}

/** OpenAPI of the render bodies (validation is in the handlers, which name path, expected and received). */
const renderBodySchema = {
  type: 'object',
  properties: {
    content: { type: 'object', description: 'Message content (src/model/message-content.ts).' },
    templateId: { type: 'string', description: 'A content template to render instead of content.' },
    template: { type: 'string', description: 'A bare template, rendered with data.' },
    data: { type: 'object' },
    profile: { type: 'object', description: 'Profile attributes.' },
    profileId: {
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: { namespace: { type: 'string' }, id: { type: 'string' } },
          required: ['namespace', 'id'],
        },
      ],
      description:
        'A stored profile (its id or an identity): its attributes and, without audiences, its memberships.',
    },
    context: {
      type: 'object',
      description:
        "journey: a journey's context ({{context.journey.…}}); any other key is a call's context, as an API-triggered campaign's trigger gives it ({{context.orderId}})",
      additionalProperties: true,
      properties: {
        journey: {
          type: 'object',
          properties: {
            events: { type: 'object' },
            actions: { type: 'object' },
            technicalProperties: { type: 'object' },
          },
        },
      },
    },
    audiences: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['realized', 'exited'] },
      description: 'Audience name -> status.',
    },
    now: {
      oneOf: [{ type: 'string' }, { type: 'number' }],
      description:
        'The clock: an ISO-8601 date-time with Z, an offset or a zone id in brackets (2025-01-07T12:17:10+05:30[Asia/Kolkata]), or epoch milliseconds.',
    },
    configuration: {
      type: 'string',
      description: 'A channel configuration whose renderLimits apply.',
    },
  },
} as const;

/** Rendering for a stored profile shows its personal data: that needs profiles.read beside the route's content.view. */
function profileReadNeeded(req: FastifyRequest, body: Record<string, unknown>): void {
  if (body['profileId'] === undefined) return;
  const p = principalOf(req);
  if (!can(p, p.sandbox, 'profiles.read'))
    throw new WaymarkError(
      ErrorCode.Forbidden,
      'permission needed: profiles.read (to render for a stored profile; send an inline profile instead)',
      { details: { permission: 'profiles.read', sandbox: p.sandbox } },
    );
}

export function renderRoutes(opts: RenderRoutesOptions): FastifyPluginAsync {
  return async (f: FastifyInstance): Promise<void> => {
    f.post(
      '/render',
      {
        schema: {
          tags: ['content'],
          summary:
            'Render a message, a content template or a bare template for a profile and context',
          body: renderBodySchema,
        },
      },
      async (req, reply) => {
        const body = rec(req.body);
        const now = nowOf(body['now']);
        if (typeof body['template'] === 'string') {
          const limits = await limitsOf(opts, sandbox(req), body, labelFilter(req));
          const r = renderInline(
            body['template'],
            body['data'] ?? {
              profile: body['profile'],
              context: body['context'],
              audiences: body['audiences'],
            },
            now,
            limits === undefined ? defaultLimits : withRenderLimits(defaultLimits, limits),
          );
          return r.ok
            ? { output: r.output, warnings: r.warnings }
            : reply.status(422).send({ error: r.error });
        }
        profileReadNeeded(req, body);
        const r = await renderMessage(opts, sandbox(req), body, now, labelFilter(req));
        return 'error' in r ? reply.status(422).send(r) : r;
      },
    );

    f.post(
      '/render/proof',
      {
        schema: {
          tags: ['content'],
          summary: 'Render a message and send it as a proof to an address',
          body: {
            ...renderBodySchema,
            properties: {
              ...renderBodySchema.properties,
              address: { type: 'string', description: 'Where the proof goes.' },
            },
            required: ['address'],
          },
        },
      },
      async (req, reply) => {
        const body = rec(req.body);
        if (opts.sendProof === undefined)
          throw new WaymarkError(ErrorCode.BadRequest, 'proofs are not configured on this server');
        if (typeof body['address'] !== 'string' || body['address'] === '')
          throw bad('body.address', 'address is required', 'string', body['address']);
        profileReadNeeded(req, body);
        const r = await renderMessage(
          opts,
          sandbox(req),
          body,
          nowOf(body['now']),
          labelFilter(req),
        );
        if ('error' in r) return reply.status(422).send(r);
        if (!r.ok)
          return reply.status(422).send({
            error: {
              code: r.reason,
              message: r.message,
              ...(r.limit === undefined ? {} : { limit: r.limit }),
            },
          });
        const sent = await opts.sendProof(sandbox(req), r, body['address']);
        return { sent: true, ...sent, rendered: r };
      },
    );

    f.post(
      '/render/template-edit',
      {
        schema: {
          tags: ['content'],
          summary:
            'Check an edit of content made from a content template against its governance locks',
          body: {
            type: 'object',
            properties: {
              templateId: { type: 'string' },
              before: { type: 'object' },
              after: { type: 'object' },
            },
            required: ['templateId', 'before', 'after'],
          },
        },
      },
      async (req, reply) => {
        const body = rec(req.body);
        if (typeof body['templateId'] !== 'string')
          throw bad('body.templateId', 'templateId is required', 'string', body['templateId']);
        const library = visibleLibrary(await opts.library(sandbox(req)), labelFilter(req));
        const t = library.contentTemplate(body['templateId']);
        if (t === undefined)
          throw new WaymarkError(
            ErrorCode.NotFound,
            `content template "${body['templateId']}" does not exist`,
            { details: { what: 'content template', key: body['templateId'] } },
          );
        const violations = checkTemplateEdit(
          t,
          parseContent(body['before'], 'body.before'),
          parseContent(body['after'], 'body.after'),
        );
        if (violations.length === 0) return { violations };
        throw new WaymarkError(
          ErrorCode.Conflict,
          `the edit changes locked parts of content template "${t.name}"`,
          {
            issues: violations.map((v) => ({
              path: v.target,
              message: v.message,
              expected: v.rule,
            })),
          },
        );
      },
    );
  };
}
