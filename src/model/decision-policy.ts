// Decision policies: ask for N offers for a placement. Strategies run in sequence until the count is
// filled, then the fallback offer (AJO's evaluation order). Each strategy picks offers (a collection by
// tags, or listed ids), keeps the eligible ones and ranks them by priority, by a formula or by the
// scores a custom action answers (a pluggable scoring endpoint; see src/runtime/decision-scoring.ts).
import { z } from 'zod';
import { objectKeySchema } from './common.ts';
import { labelsSchema } from './labels.ts';

export const MAX_STRATEGIES = 10;
export const MAX_ITEMS = 30;

export const collectionSchema = z.union([
  z
    .object({ tags: z.object({ any: z.array(z.string().min(1)).min(1).max(20) }) })
    .meta({ title: 'Offers with any of these tags' }),
  z
    .object({ tags: z.object({ all: z.array(z.string().min(1)).min(1).max(20) }) })
    .meta({ title: 'Offers with all of these tags' }),
]);
export type Collection = z.infer<typeof collectionSchema>;

export const rankingSchema = z.union([
  z.literal('priority').meta({ title: 'By priority' }),
  z
    .object({
      formula: z
        .string()
        .min(1)
        .max(8_000)
        .describe(
          'A number: profile #{ExperiencePlatform.ProfileFieldGroup.profile.x}, offer @event{offer.priority} / @event{offer.attributes.k}, context @event{context.k}.',
        ),
    })
    .meta({ title: 'By formula' }),
  z
    .object({
      scoringAction: z
        .string()
        .regex(/^[A-Za-z0-9_]{1,30}$/, 'the name of a custom action')
        .describe(
          'A custom action (POST or PUT) that scores the eligible offers: it is sent their ids and attributes and the profile, and answers {"scores": {"offerId": number}}. On a timeout or an error the strategy ranks by priority.',
        ),
    })
    .meta({ title: 'By a scoring endpoint (custom action)' }),
]);
export type Ranking = z.infer<typeof rankingSchema>;

export const strategySchema = z
  .union([
    z.object({
      collection: collectionSchema,
      ranking: rankingSchema.default('priority'),
    }),
    z.object({
      offers: z.array(objectKeySchema).min(1).max(500),
      ranking: rankingSchema.default('priority'),
    }),
  ])
  .meta({ title: 'Selection strategy' });
export type Strategy = z.infer<typeof strategySchema>;

export const decisionPolicySchema = z.object({
  id: objectKeySchema,
  name: z.string().min(1).max(200),
  description: z.string().max(2_000).optional(),
  placement: objectKeySchema.describe('The placement the policy fills.'),
  count: z.number().int().min(1).max(MAX_ITEMS).default(1),
  strategies: z.array(strategySchema).min(1).max(MAX_STRATEGIES),
  fallback: objectKeySchema
    .optional()
    .describe('A fallback offer, proposed when nothing qualifies.'),
  conversion: z
    .object({
      eventType: z
        .string()
        .min(1)
        .max(200)
        .describe('The event type that is a conversion (e.g. a purchase event).'),
      windowHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24 * 7)
        .describe('How long after a proposition its conversion counts (7 days by default).'),
    })
    .optional()
    .meta({ title: 'Conversion' })
    .describe(
      "A profile's event of this type, within the window after a proposition of this policy, is a conversion of the offer most recently proposed to that profile (last touch).",
    ),
  labels: labelsSchema,
});
export type DecisionPolicy = z.infer<typeof decisionPolicySchema>;
export type DecisionPolicyInput = z.input<typeof decisionPolicySchema>;
