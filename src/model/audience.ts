// Audience definitions: the JSON rule tree the UI builds, or a text form in the journey expression
// language. One schema gives the static types and the field-level validation (API, CLI and UI alike).
import { z } from 'zod';
import { labelsSchema } from './labels.ts';

export const AudienceOrigin = {
  Streaming: 'streaming',
  Batch: 'batch',
  Uploaded: 'uploaded',
} as const;
export type AudienceOrigin = (typeof AudienceOrigin)[keyof typeof AudienceOrigin];

export const attributeOps = [
  'equals',
  'notEquals',
  'exists',
  'notExists',
  'in',
  'contains',
  'startsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'isTrue',
  'isFalse',
] as const;
export type AttributeOp = (typeof attributeOps)[number];
/** Operators that take no `value`. */
export const unaryAttributeOps: ReadonlySet<AttributeOp> = new Set<AttributeOp>([
  'exists',
  'notExists',
  'isTrue',
  'isFalse',
]);

export const feedbackActions = ['opened', 'clicked', 'bounced', 'unsubscribed'] as const;
export type FeedbackAction = (typeof feedbackActions)[number];

export type Scalar = string | number | boolean | null;

/** A dotted path into profile attributes (or an event payload): `person.name.firstName`, `items.0.sku`. */
export const attributePathSchema = z
  .string()
  .min(1)
  .max(500)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'dot-separated segments, none empty, no spaces');

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export interface AttributeRule {
  readonly kind: 'attribute';
  readonly path: string;
  readonly op: AttributeOp;
  /** equals/notEquals/contains/startsWith/gt…: a scalar; in: a list of scalars; between: [low, high] (inclusive). */
  readonly value?: Scalar | readonly Scalar[];
  /** String comparisons ignore case (equals, notEquals, in, contains, startsWith). */
  readonly ignoreCase?: boolean;
}

export const timeUnits = ['minutes', 'hours', 'days'] as const;
export type TimeUnit = (typeof timeUnits)[number];
export interface TimeWindow {
  readonly amount: number;
  readonly unit: TimeUnit;
}
export const timeWindowSchema = z
  .object({ amount: z.number().int().positive().max(100_000), unit: z.enum(timeUnits) })
  .strict();

export const countOps = ['atLeast', 'atMost', 'exactly'] as const;
export type CountOp = (typeof countOps)[number];
export interface CountCondition {
  readonly op: CountOp;
  readonly value: number;
}
export const countConditionSchema = z
  .object({
    op: z.enum(countOps).meta({ title: 'Comparison' }),
    value: z.number().int().min(0).max(1_000_000).meta({ title: 'Times' }),
  })
  .strict();

export interface EventRule {
  readonly kind: 'event';
  readonly eventType: string;
  /** All must hold on the event payload. */
  readonly where?: readonly AttributeRule[];
  readonly count: CountCondition;
  /** Only events in the last `within` (inclusive, like inLastDays); all of history when absent. */
  readonly within?: TimeWindow;
}

export interface FeedbackRule {
  readonly kind: 'feedback';
  readonly action: FeedbackAction;
  readonly messageId?: string;
  readonly journeyId?: string;
  readonly node?: string;
  readonly link?: string;
  /** Defaults to at least once. */
  readonly count?: CountCondition;
  readonly within?: TimeWindow;
}

export interface AudienceRefRule {
  readonly kind: 'audience';
  readonly name: string;
  /** The membership status asked for; `realized` (the default) is what inAudience() reads. */
  readonly status?: 'realized' | 'exited';
}

export type AudienceRule =
  | { readonly kind: 'and'; readonly rules: readonly AudienceRule[] }
  | { readonly kind: 'or'; readonly rules: readonly AudienceRule[] }
  | { readonly kind: 'not'; readonly rule: AudienceRule }
  | AttributeRule
  | EventRule
  | FeedbackRule
  | AudienceRefRule;
export type AudienceRuleKind = AudienceRule['kind'];

export const attributeRuleSchema = z
  .object({
    kind: z.literal('attribute'),
    path: attributePathSchema.meta({
      title: 'Attribute',
      description:
        'Dot path of the attribute (of the profile, or of the payload in an event rule), e.g. loyalty.tier.',
    }),
    op: z.enum(attributeOps).meta({ title: 'Operator' }),
    value: z
      .union([scalarSchema, z.array(scalarSchema).max(10_000)])
      .optional()
      .describe(
        'Text, a number or yes/no; for "is one of" a list, for "between" [low, high] (choose List or JSON).',
      ),
    ignoreCase: z.boolean().optional().describe('Text comparisons ignore upper and lower case.'),
  })
  .strict()
  .meta({ title: 'Attribute condition' });

export const audienceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'no control characters');

export const audienceRuleSchema: z.ZodType<AudienceRule> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('and'), rules: z.array(audienceRuleSchema).min(1).max(200) })
      .strict()
      .meta({ title: 'All of (and)' }),
    z
      .object({ kind: z.literal('or'), rules: z.array(audienceRuleSchema).min(1).max(200) })
      .strict()
      .meta({ title: 'Any of (or)' }),
    z
      .object({ kind: z.literal('not'), rule: audienceRuleSchema })
      .strict()
      .meta({ title: 'Not' }),
    attributeRuleSchema,
    z
      .object({
        kind: z.literal('event'),
        eventType: z.string().min(1).max(100).meta({ title: 'Event type' }),
        where: z.array(attributeRuleSchema).max(50).optional().meta({
          title: 'Where the payload',
          description: "All must hold on the event's payload.",
        }),
        count: countConditionSchema.meta({ title: 'How many times' }),
        within: timeWindowSchema
          .optional()
          .meta({ title: 'Within the last', description: 'Empty: all of history.' }),
      })
      .strict()
      .meta({ title: 'Event count' }),
    z
      .object({
        kind: z.literal('feedback'),
        action: z.enum(feedbackActions).describe('What the profile did with the message.'),
        messageId: z.string().min(1).max(200).optional().meta({ title: 'Message ID' }),
        journeyId: z.string().min(1).max(200).optional().meta({ title: 'Journey ID' }),
        node: z.string().min(1).max(200).optional().meta({ title: 'Activity ID' }),
        link: z.string().min(1).max(2000).optional().describe('Only clicks on this URL.'),
        count: countConditionSchema
          .optional()
          .meta({ title: 'How many times', description: 'Empty: at least once.' }),
        within: timeWindowSchema
          .optional()
          .meta({ title: 'Within the last', description: 'Empty: all of history.' }),
      })
      .strict()
      .meta({ title: 'Message feedback' }),
    z
      .object({
        kind: z.literal('audience'),
        name: audienceNameSchema.meta({ title: 'Audience' }),
        status: z
          .enum(['realized', 'exited'])
          .optional()
          .describe('Realized (the default): current members; exited: former members.'),
      })
      .strict()
      .meta({ title: 'Member of an audience' }),
  ]),
);

/** The text form: a boolean journey expression, e.g. `#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier} == "blue"`. */
export const audienceTextSchema = z
  .object({
    text: z.string().min(1).max(20_000).meta({
      title: 'Expression',
      description:
        'A boolean journey expression, e.g. #{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier} == "blue".',
    }),
  })
  .strict()
  .meta({ title: 'Expression (text)' });
export type AudienceText = z.infer<typeof audienceTextSchema>;
export type AudienceDefinition = AudienceRule | AudienceText;

export const audienceSchema = z
  .object({
    /** Unique per sandbox; `inAudience("name")` reads it. */
    name: audienceNameSchema.describe(
      'Unique in the sandbox; journeys test membership with inAudience("name").',
    ),
    description: z.string().max(2000).optional(),
    origin: z
      .enum(['streaming', 'batch', 'uploaded'])
      .describe(
        'Streaming: members qualify as profiles and events change. Batch: evaluated in runs, on demand or on a schedule. Uploaded: a list of members.',
      ),
    definition: z
      .union([audienceTextSchema, audienceRuleSchema])
      .optional()
      .describe('Who is a member: rules, or an expression.'),
    /** The identity namespace of uploaded members and of read-audience entries. */
    namespace: z.string().min(1).max(30).optional().meta({
      title: 'Identity namespace',
      description: 'The namespace of uploaded members and of read-audience entries.',
    }),
    labels: labelsSchema,
  })
  .strict();

export interface Audience {
  readonly name: string;
  readonly description?: string | undefined;
  readonly origin: AudienceOrigin;
  readonly definition?: AudienceDefinition | undefined;
  readonly namespace?: string | undefined;
  readonly labels?: readonly string[] | undefined;
}

export function isTextDefinition(d: AudienceDefinition): d is AudienceText {
  return !('kind' in d);
}

export const timeUnitMs: Readonly<Record<TimeUnit, number>> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};
export const windowMs = (w: TimeWindow): number => w.amount * timeUnitMs[w.unit];

/** The membership of one profile in one audience; timestamps are epoch ms. */
export const MembershipStatus = { Realized: 'realized', Exited: 'exited' } as const;
export type MembershipStatus = (typeof MembershipStatus)[keyof typeof MembershipStatus];
export interface AudienceMembership {
  readonly audience: string;
  readonly status: MembershipStatus;
  readonly realizedAt?: number;
  readonly exitedAt?: number;
}

/** Read-audience entry options (AJO: 5,000 profiles/s by default, 500 to 20,000). */
export const readAudienceRate = { default: 5_000, min: 500, max: 20_000 } as const;
export const readAudienceOptionsSchema = z
  .object({
    audience: audienceNameSchema,
    /** Only members that have an identity in this namespace enter. */
    namespace: z.string().min(1).max(30),
    ratePerSecond: z
      .number()
      .int()
      .min(readAudienceRate.min)
      .max(readAudienceRate.max)
      .default(readAudienceRate.default),
    /** Recurring reads only: after the first run, only members realized since the previous run. */
    incremental: z.boolean().default(false),
    /** Recurring reads only: profiles still in the journey exit at the next run, and re-enter. */
    forceReentranceOnRecurrence: z.boolean().default(false),
  })
  .strict();
export type ReadAudienceOptions = z.infer<typeof readAudienceOptionsSchema>;

/** Audience-qualification entry: enter when the profile's membership becomes realized (or exited). */
export const audienceQualificationSchema = z
  .object({
    audience: audienceNameSchema,
    on: z.enum(['realized', 'exited']).default('realized'),
    namespace: z.string().min(1).max(30).optional(),
  })
  .strict();
export type AudienceQualification = z.infer<typeof audienceQualificationSchema>;
