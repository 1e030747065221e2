// Landing pages: hosted pages at /lp/{sandbox}/{slug} (and /lp/{sandbox}/{slug}/{subpage}) whose
// content is an email document made in the Email Designer (structures, components, fragments,
// personalization, `decide` offers), with an optional form whose fields write profile attributes
// and consent. Draft until published; unpublished or past its expiry date, it answers 404 or 410.
import { z } from 'zod';
import { emailContentSchema } from './message-content.ts';
import { labelsSchema } from './labels.ts';

export const LANDING_PAGE_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type LandingPageStatus = (typeof LANDING_PAGE_STATUSES)[number];

export const CONSENT_CHANNELS = ['email', 'sms', 'push'] as const;

/** Lowercase URL segments: letters, digits and -. */
export const slugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    'lowercase letters, digits and - only, starting with a letter or digit',
  );

/** A form field's name: what the browser posts. `_` starts the page's own hidden fields. */
const fieldNameSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'letters and digits only, starting with a letter');

/** A profile attribute path, e.g. person.name.firstName. */
const attributePathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'dotted attribute path');

const common = {
  name: fieldNameSchema,
  label: z.string().min(1).max(200),
  help: z.string().max(500).optional(),
};

export const formFieldSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('attribute'),
        ...common,
        path: attributePathSchema.describe('The profile attribute the value is written to.'),
        type: z.enum(['text', 'email', 'number', 'date', 'select']).default('text'),
        required: z.boolean().default(false),
        maxLength: z.number().int().min(1).max(2_000).default(200),
        pattern: z
          .string()
          .max(200)
          .optional()
          .describe('A regular expression the value must match.'),
        options: z
          .array(z.object({ value: z.string().min(1).max(200), label: z.string().min(1).max(200) }))
          .max(100)
          .optional()
          .describe('The choices of a select.'),
      })
      .meta({ title: 'Profile attribute' }),
    z
      .object({
        kind: z.literal('consent'),
        ...common,
        channel: z.enum(CONSENT_CHANNELS).describe('Checked: opt-in (y); unchecked: opt-out (n).'),
      })
      .meta({ title: 'Channel consent' }),
    z
      .object({
        kind: z.literal('subscription'),
        ...common,
        list: z
          .string()
          .min(1)
          .max(80)
          .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
          .describe('The subscription list: consents.subscriptions.<list> becomes y or n.'),
      })
      .meta({ title: 'Subscription list' }),
    z
      .object({
        kind: z.literal('preference'),
        ...common,
        key: z
          .string()
          .min(1)
          .max(80)
          .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only')
          .describe('preferences.<key> holds the chosen value.'),
        options: z
          .array(z.object({ value: z.string().min(1).max(200), label: z.string().min(1).max(200) }))
          .min(1)
          .max(100),
      })
      .meta({ title: 'Preference' }),
  ])
  .meta({ title: 'Form field' });
export type FormField = z.infer<typeof formFieldSchema>;

export const landingFormSchema = z
  .object({
    fields: z.array(formFieldSchema).min(1).max(50),
    submitLabel: z.string().min(1).max(80).default('Save'),
    /** The sub-page shown after a successful submission; absent: the page again, with a note. */
    thankYouPage: slugSchema.optional(),
  })
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.fields.forEach((f, i) => {
      if (seen.has(f.name))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'name'],
          message: `"${f.name}" is used twice`,
        });
      seen.add(f.name);
    });
  })
  .meta({ title: 'Form' });
export type LandingForm = z.infer<typeof landingFormSchema>;

export const landingPageContentSchema = z
  .object({
    /** Designed with the Email Designer: `subject` is the page's title. */
    content: emailContentSchema,
    form: landingFormSchema.optional(),
  })
  .meta({ title: 'Page' });
export type LandingPageContent = z.infer<typeof landingPageContentSchema>;

export const subPageSchema = landingPageContentSchema
  .extend({ slug: slugSchema, name: z.string().min(1).max(200) })
  .meta({ title: 'Sub-page' });
export type SubPage = z.infer<typeof subPageSchema>;

export const landingPageSchema = z
  .object({
    slug: slugSchema.describe('The page is at /lp/{sandbox}/{slug}.'),
    name: z.string().min(1).max(200),
    description: z.string().max(2_000).optional(),
    status: z.enum(LANDING_PAGE_STATUSES).default('draft'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('After this instant the page answers 410 Gone.'),
    publishedAt: z.iso.datetime({ offset: true }).optional(),
    primary: landingPageContentSchema,
    subPages: z.array(subPageSchema).max(20).default([]),
    labels: labelsSchema,
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.subPages.forEach((s, i) => {
      if (seen.has(s.slug))
        ctx.addIssue({
          code: 'custom',
          path: ['subPages', i, 'slug'],
          message: `"${s.slug}" is used twice`,
        });
      seen.add(s.slug);
    });
    const forms: Array<[LandingForm | undefined, (string | number)[]]> = [
      [p.primary.form, ['primary', 'form', 'thankYouPage']],
      ...p.subPages.map(
        (s, i) =>
          [s.form, ['subPages', i, 'form', 'thankYouPage']] as [
            LandingForm | undefined,
            (string | number)[],
          ],
      ),
    ];
    for (const [form, path] of forms)
      if (form?.thankYouPage !== undefined && !seen.has(form.thankYouPage))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `no sub-page "${form.thankYouPage}" (sub-pages: ${[...seen].join(', ') || 'none'})`,
        });
  })
  .meta({ title: 'Landing page' });
export type LandingPage = z.infer<typeof landingPageSchema>;
export type LandingPageInput = z.input<typeof landingPageSchema>;

export const LANDING_PAGE_METRICS = ['views', 'submissions', 'refused', 'conversions'] as const;
export type LandingPageMetric = (typeof LANDING_PAGE_METRICS)[number];

/** GET /v1/landing-pages/{slug}/report. */
export interface LandingPageReport {
  readonly slug: string;
  readonly views: number;
  readonly submissions: number;
  readonly refused: number;
  readonly conversions: number;
  /** Conversions per view, 0 when there was none. */
  readonly conversionRate: number;
  readonly pages: ReadonlyArray<
    { readonly subPage: string | null } & Record<LandingPageMetric, number>
  >;
}
