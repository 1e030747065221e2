// Decisioning: POST /v1/decisions asks a decision policy for a profile's offers (recorded and counted
// against caps; `dryRun` records nothing; `simulate` also explains every excluded offer), and
// GET /v1/propositions lists what was proposed (for capping and reports).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';
import { validationFailed } from '../../errors.ts';

const tags = ['offers'];

const decisionRequestSchema = z
  .object({
    policy: z
      .string()
      .min(1, 'the decision policy id is required')
      .describe('The decision policy to ask.'),
    profileId: z.string().min(1).optional().describe('A stored profile (or give identity).'),
    identity: z
      .object({ namespace: z.string().min(1), id: z.string().min(1) })
      .strict()
      .optional(),
    context: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Request context: rules and formulas read it as @event{context.k}.'),
    dryRun: z.boolean().optional().describe('Decide without recording nor counting caps.'),
    simulate: z
      .boolean()
      .optional()
      .describe('Also explain why every other offer was not proposed; records nothing.'),
  })
  .strict()
  .refine((b) => (b.profileId === undefined) !== (b.identity === undefined), {
    message: 'give exactly one of profileId or identity',
    path: ['profileId'],
  });

export function decisionRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.post<{ Body: unknown }>(
      '/decisions',
      {
        schema: {
          tags,
          // For the OpenAPI document only: the server's validator compiler accepts everything and
          // the handler parses with zod (where, what was expected, what came).
          body: openApi(decisionRequestSchema),
          summary:
            "A decision policy's offers for a profile, best first, with scores (recorded and counted against caps; dryRun: nothing recorded; simulate: also why every other offer was excluded, nothing recorded)",
        },
      },
      async (req) => {
        const body = parseWith(decisionRequestSchema, req.body, 'decision request');
        return app.decisions.decide(sandboxOf(req), {
          policy: body.policy,
          ...(body.profileId !== undefined ? { profileId: body.profileId } : {}),
          ...(body.identity !== undefined ? { identity: body.identity } : {}),
          ...(body.context !== undefined ? { context: body.context } : {}),
          ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
          ...(body.simulate !== undefined ? { simulate: body.simulate } : {}),
        });
      },
    );
    f.get<{ Querystring: { offer?: string } }>(
      '/propositions/report',
      {
        schema: {
          tags,
          summary:
            "An offer's report (?offer=): how often it was proposed, in messages, how many of those messages had its link clicked, and the conversions attributed to it (its policy's conversion event, last touch within the window), by decision policy",
        },
      },
      async (req) => {
        const offer = req.query.offer;
        if (typeof offer !== 'string' || offer === '')
          throw validationFailed('give the offer to report on', [
            { path: 'offer', message: 'required', expected: 'an offer id' },
          ]);
        return app.decisions.offerReport(sandboxOf(req), offer);
      },
    );
    f.get<{ Querystring: { offer?: string; profileId?: string; policy?: string; limit?: string } }>(
      '/propositions',
      {
        schema: {
          tags,
          summary:
            'Propositions made (offer, profile, policy, message, at), newest first; ?offer=&profileId=&policy=&limit=',
        },
      },
      async (req) => {
        const q = req.query;
        const items = await app.reads.listPropositions(
          sandboxOf(req),
          {
            ...(q.offer ? { offerId: q.offer } : {}),
            ...(q.profileId ? { profileId: q.profileId } : {}),
            ...(q.policy ? { policyId: q.policy } : {}),
          },
          intParam(q.limit, 'limit', 100, 1000),
        );
        return { items };
      },
    );
  };
}
