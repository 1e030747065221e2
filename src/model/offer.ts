// Offers (AJO decisioning items): personalized propositions with validity dates, a priority,
// representations per placement, eligibility (audiences and/or a decision rule) and caps. A fallback
// offer has no eligibility and no caps: a decision policy proposes it when nothing else qualifies.
import { z } from 'zod';
import { objectKeySchema } from './common.ts';
import { labelsSchema } from './labels.ts';

export const OFFER_STATUSES = ['draft', 'approved', 'archived'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const MAX_CAPS_PER_OFFER = 10;

export const representationSchema = z
  .object({
    placement: objectKeySchema.describe('The placement this representation fills.'),
    text: z.string().max(20_000).optional(),
    html: z.string().max(300_000).optional(),
    imageAsset: z.string().max(2_000).optional().describe('An asset id or an image URL.'),
    link: z.string().max(2_000).optional().describe('Destination link.'),
    language: z.string().max(35).optional(),
  })
  .meta({ title: 'Representation' });
export type Representation = z.infer<typeof representationSchema>;

export const audienceConditionSchema = z.union([
  z.object({ all: z.array(z.string().min(1)).min(1).max(100) }).meta({ title: 'Every audience' }),
  z.object({ any: z.array(z.string().min(1)).min(1).max(100) }).meta({ title: 'Any audience' }),
]);
export type AudienceCondition = z.infer<typeof audienceConditionSchema>;

export const eligibilitySchema = z
  .object({
    audiences: audienceConditionSchema.optional(),
    rule: z
      .string()
      .min(1)
      .max(15_000)
      .optional()
      .describe(
        'A decision rule in the expression language: profile #{ExperiencePlatform.ProfileFieldGroup.profile.x}, context @event{context.x}, offer @event{offer.x}, inAudience("A").',
      ),
  })
  .meta({ title: 'Eligibility' });
export type Eligibility = z.infer<typeof eligibilitySchema>;

export const CAP_SCOPES = ['total', 'profile'] as const;
export type CapScope = (typeof CAP_SCOPES)[number];
export const PERIOD_UNITS = ['day', 'week', 'month'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export const capSchema = z
  .object({
    scope: z.enum(CAP_SCOPES).describe('In total, or per profile.'),
    count: z.number().int().min(1).max(1_000_000_000),
    period: z
      .object({
        unit: z.enum(PERIOD_UNITS),
        every: z.number().int().min(1).max(730),
      })
      .optional()
      .describe('Resets at 00:00 UTC every N days, weeks (from Sunday) or months; absent: never.'),
  })
  .meta({ title: 'Cap' });
export type Cap = z.infer<typeof capSchema>;

export const offerSchema = z
  .object({
    id: objectKeySchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2_000).optional(),
    status: z.enum(OFFER_STATUSES).default('draft'),
    fallback: z
      .boolean()
      .default(false)
      .describe('A fallback offer: no dates, eligibility or caps apply.'),
    startDate: z.iso.datetime({ offset: true }).optional(),
    endDate: z.iso.datetime({ offset: true }).optional(),
    priority: z.number().int().min(0).max(1_000_000).default(0),
    tags: z.array(z.string().min(1).max(80)).max(20).default([]),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    representations: z.array(representationSchema).max(30).default([]),
    eligibility: eligibilitySchema.optional(),
    caps: z.array(capSchema).max(MAX_CAPS_PER_OFFER).default([]),
    labels: labelsSchema,
  })
  .superRefine((o, ctx) => {
    if (o.fallback && (o.eligibility !== undefined || o.caps.length > 0))
      ctx.addIssue({
        code: 'custom',
        path: ['fallback'],
        message: 'a fallback offer has no eligibility and no caps',
      });
    if (o.startDate && o.endDate && Date.parse(o.endDate) <= Date.parse(o.startDate))
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'endDate must be after startDate',
      });
    if (Object.keys(o.attributes).length > 100)
      ctx.addIssue({ code: 'custom', path: ['attributes'], message: 'at most 100 attributes' });
  });
export type Offer = z.infer<typeof offerSchema>;
export type OfferInput = z.input<typeof offerSchema>;
