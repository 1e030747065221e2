// The HTTP API: Fastify, one error handler, an access check on every route that is not marked
// public (src/api/access.ts), sandbox from the x-sandbox-name header, OpenAPI at /openapi.json.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { DOCS_DIST, SDK_DIST, UI_DIST } from '../package-files.ts';
import type { DevProviders } from '../runtime/dev-providers.ts';
import type { Waymark } from '../runtime/app.ts';
import { registerAccessControl, type RouteEntry } from './access.ts';
import type { ApiKey } from './auth.ts';
import { SessionStore } from './sessions.ts';
import { errorHandler } from './errors.ts';
import {
  nulRefused,
  registerJsonBodyParser,
  textBodyHoldsNul,
  urlHoldsNul,
} from './request-limits.ts';
import { createProofSender } from '../runtime/proofs.ts';
import { ProofLog } from '../runtime/proof-log.ts';
import { registerStaticUi } from './static.ts';
import { storefrontRoutes, webSdkRoutes, type StorefrontOptions } from './routes/web-sdk.ts';
import { registerStaticDocs } from './static-docs.ts';
import { portableOpenApi } from './openapi-portable.ts';
import type { OpenApiDocument } from './openapi-portable.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerClosingConnections } from './graceful-close.ts';
import { assetServingRoutes, assetUploadRoutes } from './routes/assets.ts';
import { assetLibraryRoutes } from './routes/asset-library.ts';
import { personalizationRoutes } from './routes/personalization.ts';
import { eventRoutes } from './routes/events.ts';
import { segmentRoutes } from './routes/segment.ts';
import { webPushRoutes } from './routes/web-push.ts';
import { inAppRoutes } from './routes/in-app.ts';
import { expressionRoutes } from './routes/expressions.ts';
import { renderRoutes } from './routes/render.ts';
import { labelsOf } from '../model/labels.ts';
import { contentToolRoutes } from './routes/content-tools.ts';
import { journeyRoutes } from './routes/journeys.ts';
import { campaignApprovalRoutes } from './routes/campaign-approvals.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { testRunRoutes } from './routes/test-runs.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { messageRoutes } from './routes/messages.ts';
import { objectRoutes } from './routes/objects.ts';
import { packageRoutes } from './routes/packages.ts';
import { referenceRoutes } from './routes/references.ts';
import { allowedHostRoutes } from './routes/allowed-hosts.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { exportRoutes } from './routes/exports.ts';
import { profileRoutes } from './routes/profiles.ts';
import { sessionRoutes } from './routes/session.ts';
import { smsWebhookRoutes } from './routes/sms-webhooks.ts';
import { providerWebhookRoutes } from './routes/provider-webhooks.ts';
import { audienceRoutes } from './routes/audiences.ts';
import { profileAdminRoutes } from './routes/profile-admin.ts';
import { statusRoutes, type NodeStatus } from './routes/status.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { landingPageRoutes } from './routes/landing-pages.ts';
import {
  landingPagePublicRoutes,
  type LandingPagePublicOptions,
} from './routes/landing-page-public.ts';
import { translationProjectRoutes } from './routes/translation-projects.ts';
import { userRoutes } from './routes/users.ts';
import { roleRoutes } from './routes/roles.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { accountRoutes } from './routes/account.ts';
import { ssoRoutes } from './routes/sso.ts';
import { sandboxRoutes } from './routes/sandboxes.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { auditLogRoutes } from './routes/audit-log.ts';
import { searchRoutes } from './routes/search.ts';
import { labelRoutes } from './routes/labels.ts';
import { assistantRoutes } from './routes/assistant.ts';
import type { AssistantOptions } from '../runtime/assistant/service.ts';
import { registerAuditHook } from './audit-hook.ts';
import { VERSION } from '../version.ts';
import { pinoLogger } from '../shared/logger.ts';

export interface ServerOptions {
  readonly app: Waymark;
  readonly keys: readonly ApiKey[];
  /** pino logger options (a `stream` to write the JSON lines to: readable lines in a terminal), or false for none (tests). */
  readonly logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Extra route plugins registered under /v1 behind authentication. */
  readonly plugins?: ReadonlyArray<(f: FastifyInstance) => Promise<void>>;
  readonly version?: string;
  /** The secret that signs tracked links (the same the app's delivery uses). */
  readonly trackingSecret?: Uint8Array | string;
  /** The public landing pages' form limits (per client address and page). */
  readonly landingPages?: LandingPagePublicOptions;
  /**
   * Behind a reverse proxy: whose X-Forwarded-For (and -Proto, -Host) to believe, as Fastify's
   * `trustProxy`: true (any sender), or the proxies' addresses or CIDRs (comma-separated).
   * Unset or false: the client address is the connection's (the landing pages' per-address limit
   * then counts the proxy as one client), and X-Forwarded-For is ignored, so it cannot be forged.
   */
  readonly trustProxy?: TrustProxy;
  /** Where the built web console is (default ui/dist). */
  readonly uiRoot?: string;
  /** Where the built browser SDK is (default sdk/web/dist). */
  readonly sdkRoot?: string;
  /** The Luma storefront at /demo/luma/ (`waymark serve --demo`), with the demo's write key. */
  readonly storefront?: StorefrontOptions;
  /** Where the built documentation site is (default docs/.vitepress/dist). */
  readonly docsRoot?: string;
  /** What the development providers received, for GET /v1/dev/inbox. */
  readonly devProviders?: DevProviders;
  /** This node's store, leadership and ingest, for GET /v1/status (`waymark serve` gives it). */
  readonly nodeStatus?: () => NodeStatus;
  /** Console sessions (a fresh in-memory store by default). */
  readonly sessions?: SessionStore;
  /** The Assistant's model and limits (default: the WAYMARK_AI_* environment, else no model). */
  readonly assistant?: AssistantOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access ('public' or 'key'), for the security tests. */
    readonly routeTable: readonly RouteEntry[];
  }
}

/** Fastify's `trustProxy` (ServerOptions.trustProxy). */
export type TrustProxy = boolean | string;

/**
 * Reads a `trustProxy` setting as written in the environment or on the command line: `true` or
 * `false`, or addresses/CIDRs separated by commas. Empty: undefined (not trusted).
 */
export function parseTrustProxy(text: string | undefined): TrustProxy | undefined {
  const t = text?.trim() ?? '';
  if (t === '') return undefined;
  if (/^(true|yes|on)$/i.test(t)) return true;
  if (/^(false|no|off)$/i.test(t)) return false;
  return t
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .join(',');
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const startedAt = Date.now();
  // Proofs this server sent, per sandbox: the development inbox shows them to their sandbox only.
  const proofLog = new ProofLog();
  const f = Fastify({
    logger:
      opts.logger === undefined
        ? false
        : opts.logger === false
          ? false
          : {
              ...(typeof opts.logger === 'object' ? opts.logger : {}),
              redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
            },
    bodyLimit: 8 * 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // Tracking tokens carry their claims, so they are long.
    routerOptions: { maxParamLength: 4096 },
    ajv: { customOptions: { strict: false } },
  });
  // Bodies are validated by our zod schemas (field-level errors); route schemas only document them.
  f.setValidatorCompiler(() => () => true);
  registerJsonBodyParser(f);
  f.setErrorHandler(errorHandler);
  registerSecurityHeaders(f);
  registerClosingConnections(f);
  f.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` },
    });
  });

  await f.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Waymark API',
        version: opts.version ?? VERSION,
        description:
          'Journey orchestration: events, journeys, profiles, messages. Every route but /healthz needs an API key (Authorization: Bearer <key>); the sandbox comes from the x-sandbox-name header (default prod).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });

  const sessions = opts.sessions ?? new SessionStore();
  const routes = registerAccessControl(f, { keys: opts.keys, sessions, access: opts.app.access });
  f.decorate('routeTable', routes);
  registerAuditHook(f, opts.app);
  f.addHook('onRequest', async (req) => {
    if (urlHoldsNul(req.url)) throw nulRefused('URL');
  });
  f.addHook('preValidation', async (req) => {
    // JSON bodies were checked as text by their parser; the others are checked as parsed.
    const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
    if (!json && req.body !== undefined && textBodyHoldsNul(req.body)) throw nulRefused('body');
  });
  f.get('/healthz', { schema: { hide: true }, config: { permission: 'public' } }, async () => ({
    ok: true,
  }));
  await f.register(assetServingRoutes(opts.app.assets));
  await f.register(smsWebhookRoutes(opts.app));
  await f.register(providerWebhookRoutes(opts.app));
  if (opts.trackingSecret)
    await f.register(trackingRoutes(opts.app.feedback, opts.trackingSecret, pinoLogger(f.log)));
  await f.register(landingPagePublicRoutes(opts.app, opts.landingPages));
  await f.register(metricsRoutes(opts.app));
  // Built once, on the first request (every route is registered by then).
  let openApi: OpenApiDocument | undefined;
  f.get('/openapi.json', { schema: { hide: true }, config: { permission: 'public' } }, async () => {
    openApi ??= portableOpenApi(f.swagger() as unknown as OpenApiDocument);
    return openApi;
  });

  await f.register(
    async (v1) => {
      await v1.register(sessionRoutes(opts.app, opts.keys, sessions));
      await v1.register(objectRoutes(opts.app));
      await v1.register(assetUploadRoutes(opts.app.assets));
      await v1.register(assetLibraryRoutes(opts.app));
      await v1.register(personalizationRoutes(opts.app));
      await v1.register(journeyRoutes(opts.app));
      await v1.register(campaignRoutes(opts.app));
      await v1.register(campaignApprovalRoutes(opts.app));
      await v1.register(testRunRoutes(opts.app));
      await v1.register(translationProjectRoutes(opts.app));
      await v1.register(decisionRoutes(opts.app));
      await v1.register(landingPageRoutes(opts.app));
      await v1.register(userRoutes(opts.app));
      await v1.register(roleRoutes(opts.app));
      await v1.register(apiKeyRoutes(opts.app));
      await v1.register(accountRoutes(opts.app, pinoLogger(f.log)));
      await v1.register(ssoRoutes(opts.app, sessions));
      await v1.register(sandboxRoutes(opts.app));
      await v1.register(approvalRoutes(opts.app));
      await v1.register(auditLogRoutes(opts.app));
      await v1.register(searchRoutes(opts.app));
      await v1.register(labelRoutes(opts.app));
      await v1.register(assistantRoutes(opts.app, opts.assistant));
      await v1.register(eventRoutes(opts.app));
      await v1.register(segmentRoutes(opts.app));
      await v1.register(webPushRoutes(opts.app));
      await v1.register(inAppRoutes(opts.app));
      await v1.register(profileRoutes(opts.app));
      await v1.register(audienceRoutes(opts.app));
      await v1.register(profileAdminRoutes(opts.app));
      await v1.register(messageRoutes(opts.app, opts.devProviders, proofLog));
      await v1.register(packageRoutes(opts.app));
      await v1.register(referenceRoutes(opts.app));
      await v1.register(allowedHostRoutes(opts.app));
      await v1.register(suppressionRoutes(opts.app));
      await v1.register(webhookRoutes(opts.app));
      await v1.register(exportRoutes(opts.app));
      await v1.register(
        statusRoutes(opts.app, {
          version: opts.version ?? VERSION,
          startedAt,
          ...(opts.nodeStatus ? { node: opts.nodeStatus } : {}),
        }),
      );
      await v1.register(expressionRoutes, { prefix: '/expressions' });
      await v1.register(contentToolRoutes(opts.app));
      await v1.register(
        renderRoutes({
          library: async (sandbox) => (await opts.app.catalogs.get(sandbox)).content,
          profile: async (sandbox, id) =>
            (await opts.app.reads.getProfile(sandbox, id))?.attributes,
          profileByIdentity: async (sandbox, namespace, id) =>
            (await opts.app.profiles.get(sandbox, namespace, id)).id,
          memberships: async (sandbox, id) =>
            opts.app.engine.memberships(sandbox, await opts.app.reads.getProfile(sandbox, id)),
          sendProof: createProofSender(
            opts.app.catalogs,
            opts.app.objects.secrets,
            (sandbox) => opts.app.outbound(sandbox),
            proofLog,
          ),
          renderLimits: async (sandbox, name) => {
            const c = (await opts.app.catalogs.get(sandbox)).configurations.get(name);
            return c === undefined ? undefined : (c.renderLimits ?? {});
          },
          objectLabels: async (sandbox, kind, key) =>
            labelsOf((await opts.app.reads.getObject(sandbox, kind, key))?.body),
          decisions: (sandbox, who, policies) =>
            opts.app.decisions.previewForMessage(sandbox, who, policies),
          pageLink: async (sandbox, profileId) => {
            const p =
              profileId === undefined ? null : await opts.app.reads.getProfile(sandbox, profileId);
            const pages = opts.app.landingPages;
            // Signed for a test profile only: a signed link writes to the profile it names.
            return (
              pages.linker(sandbox, p?.testProfile === true ? p.id : undefined) ??
              ((slug, subPage) => pages.url(sandbox, slug, undefined, subPage))
            );
          },
        }),
      );
      for (const p of opts.plugins ?? []) await v1.register(p);
    },
    { prefix: '/v1' },
  );
  // The browser SDK (sdk/web/dist) and, with --demo, the Luma storefront that uses it.
  await f.register(webSdkRoutes(opts.sdkRoot ?? SDK_DIST));
  if (opts.storefront) await f.register(storefrontRoutes(opts.storefront));
  // The documentation site, built into docs/.vitepress/dist by `npm run docs`.
  await registerStaticDocs(f, { root: opts.docsRoot ?? DOCS_DIST });
  // The web console, built into ui/dist by `npm start` (prestart) or `npm run build:ui`.
  await registerStaticUi(f, {
    root: opts.uiRoot ?? UI_DIST,
  });
  await f.ready();
  return f;
}
