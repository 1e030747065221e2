import { z } from 'zod';

// Business rule sets (reference §5). Channel domain: "at most N messages per period, every K
// periods" over one or several channels combined (calendar-aligned in UTC). Journey domain: entry
// caps and concurrency caps per profile. Evaluation is pure, in src/rules/.

export const RuleSetStatus = { Draft: 'draft', Active: 'active', Inactive: 'inactive' } as const;
export type RuleSetStatus = (typeof RuleSetStatus)[keyof typeof RuleSetStatus];

export const CappingPeriod = {
  Hourly: 'hourly',
  Daily: 'daily',
  Weekly: 'weekly',
  Monthly: 'monthly',
} as const;
export type CappingPeriod = (typeof CappingPeriod)[keyof typeof CappingPeriod];

/** The allowed "every N" range of each period: 1-23 h, 1-30 d, 1-4 wk, 1-3 mo. */
export const everyRange: Readonly<Record<CappingPeriod, readonly [number, number]>> = {
  hourly: [1, 23],
  daily: [1, 30],
  weekly: [1, 4],
  monthly: [1, 3],
};

export const cappedChannelSchema = z.enum(['email', 'push', 'sms', 'directMail']);
export type CappedChannel = z.infer<typeof cappedChannelSchema>;

const ruleId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)')
  .meta({ title: 'Rule ID', description: 'Unique in the rule set.' });
const periodSchema = z.enum(['hourly', 'daily', 'weekly', 'monthly']);

function checkEvery(r: { period: CappingPeriod; every: number }, ctx: z.RefinementCtx): void {
  const [min, max] = everyRange[r.period];
  if (r.every < min || r.every > max) {
    ctx.addIssue({
      code: 'custom',
      path: ['every'],
      message: `every must be ${min}-${max} for a ${r.period} period`,
    });
  }
}

export const channelRuleSchema = z
  .object({
    id: ruleId,
    name: z.string().min(1).max(200).optional(),
    category: z.literal('marketing').default('marketing'),
    /** Channels whose counts are combined. */
    channels: z
      .array(cappedChannelSchema)
      .min(1)
      .max(4)
      .describe('Messages on these channels count together.'),
    /** At most this many messages per window. */
    cap: z.number().int().min(0).max(1_000_000).meta({
      title: 'Messages at most',
      description: 'At most this many messages per window to one profile.',
    }),
    period: periodSchema,
    every: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe(
        'The window is this many periods long: 1-23 hours, 1-30 days, 1-4 weeks or 1-3 months.',
      ),
  })
  .superRefine(checkEvery)
  .meta({ title: 'Rule' });
export type ChannelRule = z.infer<typeof channelRuleSchema>;

export const journeyRuleSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('entry'),
        id: ruleId,
        name: z.string().max(200).optional(),
        cap: z.number().int().min(1).max(1_000_000).meta({
          title: 'Entries at most',
          description: 'Journey entries per profile per window.',
        }),
        period: periodSchema,
        every: z.number().int().min(1).default(1).describe('The window is this many periods long.'),
      })
      .meta({ title: 'Entry cap' }),
    z
      .object({
        kind: z.literal('concurrency'),
        id: ruleId,
        name: z.string().max(200).optional(),
        cap: z.number().int().min(1).max(1000).meta({
          title: 'Journeys at once',
          description: 'Journeys a profile may be in at the same time.',
        }),
      })
      .meta({ title: 'Concurrency cap' }),
  ])
  .superRefine((r, ctx) => {
    if (r.kind === 'entry') checkEvery(r, ctx);
  });
export type JourneyRule = z.infer<typeof journeyRuleSchema>;

const ruleSetBase = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_ -]{0,99}$/, 'letters, digits, _, - and spaces (at most 100)'),
  description: z.string().max(1000).optional(),
  status: z
    .enum(['draft', 'active', 'inactive'])
    .default('draft')
    .describe('Only active rule sets apply; at most 10 per domain.'),
};

function uniqueIds(rs: { rules: readonly { id: string }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, r] of rs.rules.entries()) {
    if (seen.has(r.id))
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'id'],
        message: `duplicate rule id "${r.id}"`,
      });
    seen.add(r.id);
  }
}

export const channelRuleSetSchema = z
  .object({
    ...ruleSetBase,
    domain: z.literal('channel'),
    rules: z.array(channelRuleSchema).min(1).max(20),
  })
  .superRefine(uniqueIds)
  .meta({ title: 'Channel (message capping)' });
export const journeyRuleSetSchema = z
  .object({
    ...ruleSetBase,
    domain: z.literal('journey'),
    rules: z
      .array(journeyRuleSchema.meta({ title: 'Rule' }))
      .min(1)
      .max(20),
  })
  .superRefine(uniqueIds)
  .meta({ title: 'Journey (entry and concurrency caps)' });
export const ruleSetSchema = z.discriminatedUnion('domain', [
  channelRuleSetSchema,
  journeyRuleSetSchema,
]);
export type ChannelRuleSet = z.infer<typeof channelRuleSetSchema>;
export type JourneyRuleSet = z.infer<typeof journeyRuleSetSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;

/** Up to 10 active custom rule sets per domain (the Global Default Rule Set not counted). */
export const MAX_ACTIVE_RULE_SETS_PER_DOMAIN = 10;
export const GLOBAL_DEFAULT_RULE_SET = 'Global Default Rule Set';
