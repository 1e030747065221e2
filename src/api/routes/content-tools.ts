// The email designer's content tools: pre-send checks, the code view (to and from MJML or HTML) and
// the compiled, not personalized HTML the canvas compares with. Registered under /v1 (authenticated,
// the sandbox is the x-sandbox-name header).
//   POST /v1/content/check           {content, journeyId?, nodeId?, marketing?, profileId?, context?}
//        -> 200 {issues: [{severity, code, message, blockId?, field?}], sizeBytes}
//        marketing defaults to the activity's category with journeyId+nodeId, else true for email.
//        profileId (a stored profile's id, or {namespace, id}) renders the size sample for that profile and its audiences.
//   POST /v1/content/to-code         {document, format: 'mjml' | 'html'} -> 200 {code}
//        html: the compiled HTML with personalization as written (422 {error: {code: 'invalid_content', diagnostics}} when it does not compile)
//   POST /v1/content/from-code       {code, format: 'mjml' | 'html'} -> 200 {document, notes: string[]}
//   POST /v1/content/compile-preview {content, annotate?, locale?} -> 200 {html, text, diagnostics} (email only; 422 when it does not compile)
// Bad input: 400 {error: {code: 'bad_request', message, issues: [{path, message, expected, received}]}}.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkMessage } from '../../content/checks.ts';
import { localized } from '../../content/index.ts';
import { documentToMjml } from '../../content/document/to-mjml.ts';
import { htmlToDocument, mjmlToDocument } from '../../content/document/from-code.ts';
import { documentSourceHtml, emailSourceHtml } from '../../content/document/source-html.ts';
import { emailDocumentSchema, messageContentSchema } from '../../model/message-content.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { sandboxOf } from '../context.ts';
import { hiddenAudiences, labelFilter, visibleLibrary } from '../label-access.ts';
import { callerScope } from './personalization.ts';
import { openApi, parseInput } from './request-input.ts';

const id = z.string().min(1).max(200);
/** A stored profile: its id, or one of its identities. */
export const profileRefSchema = z
  .union([id, z.object({ namespace: id, id: z.string().min(1).max(500) })])
  .describe('A stored profile: its id, or an identity {namespace, id}.');
const contextSchema = z
  .object({
    journey: z
      .object({
        events: z.record(z.string(), z.unknown()).optional(),
        actions: z.record(z.string(), z.unknown()).optional(),
        technicalProperties: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  })
  .optional()
  .describe('Sample context.journey.events / actions for the sample render.');
const checkBody = z.object({
  content: messageContentSchema,
  journeyId: id.optional().describe('The journey whose events and actions are in scope.'),
  nodeId: id
    .optional()
    .describe(
      'The activity: only what is upstream of it is in scope; its category sets marketing.',
    ),
  marketing: z
    .boolean()
    .optional()
    .describe(
      "Marketing mail needs an unsubscribe link (default: the activity's category, else true).",
    ),
  profileId: profileRefSchema.optional(),
  context: contextSchema,
});
const format = z.enum(['mjml', 'html']);
const toCodeBody = z.object({ document: emailDocumentSchema, format });
const fromCodeBody = z.object({ code: z.string().max(2 * 1024 * 1024), format });
const previewBody = z.object({
  content: messageContentSchema,
  annotate: z.boolean().optional().describe('Add css-class="wm-b-<id>" to sections and blocks.'),
  locale: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('A locale of multilingual content: its variant (else the source content).'),
});

/** A stored profile's id from an id or an identity; 404 when there is none. */
export async function resolveProfileId(
  app: Waymark,
  sandbox: string,
  ref: z.infer<typeof profileRefSchema>,
): Promise<string> {
  if (typeof ref !== 'string') return (await app.profiles.get(sandbox, ref.namespace, ref.id)).id;
  return ref;
}

const invalid = (diagnostics: unknown[]): { error: Record<string, unknown> } => {
  const first = diagnostics[0] as { message?: string } | undefined;
  return {
    error: {
      code: 'invalid_content',
      message: first?.message ?? 'the content does not compile',
      diagnostics,
    },
  };
};

export function contentToolRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['content'];
    f.post(
      '/content/check',
      {
        schema: {
          tags,
          summary:
            'Pre-send checks: alt text, broken links, unresolved personalization, size (Gmail clips over 102 KB), unsubscribe link, MJML warnings',
          body: openApi(checkBody),
        },
      },
      async (req) => {
        const b = parseInput(checkBody, req.body, 'body');
        const sandbox = sandboxOf(req);
        const place = {
          ...(b.journeyId === undefined ? {} : { journeyId: b.journeyId }),
          ...(b.nodeId === undefined ? {} : { nodeId: b.nodeId }),
        };
        const s = await callerScope(app, req, place);
        let marketing = b.marketing;
        if (marketing === undefined && b.journeyId !== undefined && b.nodeId !== undefined) {
          const node = (await app.journeys.get(sandbox, b.journeyId)).latest.definition.nodes.find(
            (n) => n.id === b.nodeId,
          ) as { category?: string } | undefined;
          if (node?.category !== undefined) marketing = node.category === 'marketing';
        }
        let profile: unknown = {};
        let audiences: Record<string, 'realized' | 'exited'> = {};
        if (b.profileId !== undefined) {
          const pid = await resolveProfileId(app, sandbox, b.profileId);
          const p = await app.reads.getProfile(sandbox, pid);
          if (p === null)
            throw new WaymarkError(ErrorCode.NotFound, `profile "${pid}" does not exist`, {
              details: { what: 'profile', key: pid },
            });
          profile = p.attributes;
          // The sample renders with the audiences the caller may see only: a hidden one is not probed through a condition.
          const hidden = await hiddenAudiences(req, app.reads, sandbox);
          audiences = Object.fromEntries(
            Object.entries(await app.engine.memberships(sandbox, p)).filter(
              ([name]) => !hidden.has(name),
            ),
          );
        }
        const j = b.context?.journey;
        const now = app.clock.now();
        return checkMessage({
          content: b.content,
          library: s.library,
          scope: s.scope,
          marketing: marketing ?? b.content.channel === 'email',
          now,
          sample: {
            profile,
            audiences,
            now,
            context: {
              journey: {
                events: j?.events ?? {},
                actions: j?.actions ?? {},
                technicalProperties: j?.technicalProperties ?? {},
              },
            },
          },
        });
      },
    );

    f.post(
      '/content/to-code',
      {
        schema: {
          tags,
          summary:
            'An email document as MJML (lossless, see src/content/document/to-mjml.ts) or as its compiled HTML with personalization as written',
          body: openApi(toCodeBody),
        },
      },
      async (req, reply) => {
        const b = parseInput(toCodeBody, req.body, 'body');
        const library = visibleLibrary(
          (await app.catalogs.get(sandboxOf(req))).content,
          labelFilter(req),
        );
        if (b.format === 'mjml') return { code: documentToMjml(b.document, library) };
        const r = await documentSourceHtml(b.document, library);
        return r.ok ? { code: r.html } : reply.status(422).send(invalid(r.diagnostics));
      },
    );

    f.post(
      '/content/from-code',
      {
        schema: {
          tags,
          summary:
            'MJML or HTML into an email document; what it cannot represent becomes html blocks (notes say which)',
          body: openApi(fromCodeBody),
        },
      },
      async (req) => {
        const b = parseInput(fromCodeBody, req.body, 'body');
        return b.format === 'mjml' ? mjmlToDocument(b.code) : htmlToDocument(b.code);
      },
    );

    f.post(
      '/content/compile-preview',
      {
        schema: {
          tags,
          summary:
            "The compiled, not personalized HTML of an email (annotated with wm-b-<id> classes on request), for the designer's canvas",
          body: openApi(previewBody),
        },
      },
      async (req, reply) => {
        const b = parseInput(previewBody, req.body, 'body');
        if (b.content.channel !== 'email')
          throw new WaymarkError(ErrorCode.BadRequest, 'compile-preview is for email content', {
            issues: [
              {
                path: 'body.content.channel',
                message: 'only email content has HTML',
                expected: '"email"',
                received: JSON.stringify(b.content.channel),
              },
            ],
          });
        const library = visibleLibrary(
          (await app.catalogs.get(sandboxOf(req))).content,
          labelFilter(req),
        );
        const content = b.locale === undefined ? b.content : localized(b.content, b.locale);
        if (content.channel !== 'email')
          throw new WaymarkError(ErrorCode.BadRequest, 'compile-preview is for email content');
        const r = await emailSourceHtml(
          content,
          library,
          b.annotate === true ? { annotate: true } : {},
        );
        return r.ok
          ? { html: r.html, text: r.text, diagnostics: r.diagnostics }
          : reply.status(422).send(invalid(r.diagnostics));
      },
    );
  };
}
