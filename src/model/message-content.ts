// What an email, push or SMS activity holds. The email body is either raw `html` (a personalization
// template) or a structured `document` (the model the web email designer edits), rendered with MJML.
import { z } from 'zod';

/** A condition of a content variant: audience membership, or a personalization expression (`{% %}` syntax without the tags). */
export const conditionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('audience'),
      audience: z.string().min(1).describe('Members of this audience see the variant.'),
      status: z.enum(['realized', 'exited']).default('realized'),
    })
    .meta({ title: 'Audience membership' }),
  z
    .object({
      kind: z.literal('expression'),
      expression: z
        .string()
        .min(1)
        .describe('A personalization condition ({% %} syntax without the tags).'),
    })
    .meta({ title: 'Expression' }),
]);
export type Condition = z.infer<typeof conditionSchema>;

/** A CSS length or shorthand as MJML takes it ("10px 25px", "50%"); no quotes, angle brackets or semicolons. */
const cssValue = z
  .string()
  .max(200)
  .regex(/^[^"<>;{}]*$/, 'a CSS value without quotes, angle brackets, braces or semicolons');
/** A CSS colour: #rgb, #rrggbb, rgb()/rgba() or a colour name. */
export const colorValue = z
  .string()
  .max(60)
  .regex(
    /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9., %]+\)|[a-zA-Z]+)$/,
    'a colour: #rrggbb, rgb(…) or a colour name',
  );

const blockBase = {
  /** Stable id within the document: locks and diagnostics refer to it. */
  id: z.string().min(1).max(120),
  padding: cssValue.optional(),
  /** The block's own background (the column's otherwise). */
  backgroundColor: colorValue.optional().meta({ title: 'Background' }),
  /** A CSS border shorthand, e.g. "1px solid #cccccc". */
  border: cssValue.optional().meta({ title: 'Border', description: 'e.g. 1px solid #cccccc' }),
  /** Shown on every device unless hidden on one (a media query at 480 px, as MJML's breakpoint). */
  hideOn: z.enum(['mobile', 'desktop']).optional().meta({
    title: 'Hide on',
    description: 'Hide the block on small screens (mobile) or large ones (desktop).',
  }),
};
const align = z.enum(['left', 'center', 'right']).optional();
/** Whether clicks on a link are tracked (the link is rewritten through the tracking server). */
const tracked = z.boolean().default(true).meta({ title: 'Track clicks' });

export const textBlockSchema = z.object({
  kind: z.literal('text'),
  ...blockBase,
  /** HTML with personalization; links may carry data-wm-notrack to skip click tracking. */
  content: z.string(),
  align,
  color: colorValue.optional(),
  fontSize: cssValue.optional(),
  lineHeight: cssValue.optional(),
  fontFamily: cssValue.optional(),
});
export const imageBlockSchema = z.object({
  kind: z.literal('image'),
  ...blockBase,
  /** A URL (may hold personalization) or, with `assetId`, taken from the asset library. */
  src: z.string().optional().meta({
    title: 'Image URL',
    description: 'May hold personalization; or choose an asset below.',
  }),
  assetId: z
    .string()
    .optional()
    .meta({ title: 'Asset', description: 'An image from the asset library.' }),
  /** With assetId: a rendition (resize/re-encode) served by the asset service, e.g. { width: 600, format: 'webp' }. */
  rendition: z
    .object({
      width: z.number().int().min(1).max(4096).optional(),
      height: z.number().int().min(1).max(4096).optional(),
      format: z.enum(['png', 'jpeg', 'webp', 'avif']).optional(),
    })
    .optional(),
  alt: z.string().default('').meta({ title: 'Alternative text' }),
  href: z.string().optional().meta({ title: 'Link' }),
  tracked,
  /** Shown on hover in most clients. */
  title: z.string().optional(),
  width: cssValue.optional(),
  align,
});
export const buttonBlockSchema = z.object({
  kind: z.literal('button'),
  ...blockBase,
  label: z.string(),
  href: z.string().meta({ title: 'Link' }),
  tracked,
  target: z.enum(['_blank', '_self']).optional(),
  /** On a button, backgroundColor is the button's own colour (MJML's background-color on mj-button). */
  backgroundColor: colorValue.optional().meta({ title: 'Button colour' }),
  color: colorValue.optional().meta({ title: 'Text colour' }),
  borderRadius: cssValue.optional(),
  fontSize: cssValue.optional(),
  align,
});
export const dividerBlockSchema = z.object({
  kind: z.literal('divider'),
  ...blockBase,
  color: colorValue.optional(),
  width: cssValue.optional().meta({ title: 'Thickness' }),
  style: z.enum(['solid', 'dashed', 'dotted']).optional(),
});
export const spacerBlockSchema = z.object({
  kind: z.literal('spacer'),
  ...blockBase,
  height: cssValue.default('20px'),
});
export const socialNetworks = [
  'facebook',
  'instagram',
  'x',
  'linkedin',
  'youtube',
  'pinterest',
  'tiktok',
  'web',
] as const;
/** Links to social profiles, drawn as icons (MJML's mj-social). */
export const socialBlockSchema = z.object({
  kind: z.literal('social'),
  ...blockBase,
  align,
  iconSize: cssValue.default('24px'),
  links: z
    .array(
      z.object({
        network: z.enum(socialNetworks),
        href: z.string().min(1),
        label: z.string().optional(),
      }),
    )
    .max(12),
  tracked,
});
export const htmlBlockSchema = z.object({
  kind: z.literal('html'),
  ...blockBase,
  content: z.string(),
});
/** A visual fragment. `mode: 'reference'` follows the fragment's latest published content; a pasted fragment is an html block. */
export const fragmentBlockSchema = z.object({
  kind: z.literal('fragment'),
  ...blockBase,
  fragmentId: z
    .string()
    .min(1)
    .meta({ title: 'Fragment', description: "Shows the fragment's latest published content." }),
  /** Values of the fragment's editable fields (template source, may hold personalization). */
  fields: z.record(z.string(), z.string()).default({}).meta({
    title: 'Editable fields',
    description: "Values of the fragment's editable fields (may hold personalization).",
  }),
});

/**
 * Offers chosen per profile at send time: the decision policy's offers for its placement, each drawn
 * from its representation (image, then HTML or text, linked). Rendered through `decide`, so the
 * propositions are recorded with the message and count against caps.
 */
export const decisionBlockSchema = z.object({
  kind: z.literal('decision'),
  ...blockBase,
  policy: z.string().min(1).max(120).meta({
    title: 'Decision policy',
    description: "The policy whose offers this block shows (for the policy's placement).",
  }),
  align,
  /** Width of each offer's image (a px value or a percentage of the column). */
  imageWidth: cssValue.optional().meta({ title: 'Image width' }),
  tracked,
});

/** A block without variants of its own: what a variant shows instead of the block. */
export const plainBlockSchema = z.discriminatedUnion('kind', [
  textBlockSchema,
  imageBlockSchema,
  buttonBlockSchema,
  dividerBlockSchema,
  spacerBlockSchema,
  socialBlockSchema,
  htmlBlockSchema,
  fragmentBlockSchema,
  decisionBlockSchema,
]);
export type PlainBlock = z.infer<typeof plainBlockSchema>;
/** Conditional content on one block: the first variant whose condition holds replaces it. */
export const blockVariantSchema = z.object({
  name: z.string().min(1),
  condition: conditionSchema,
  block: plainBlockSchema,
});
const withVariants = { variants: z.array(blockVariantSchema).default([]) };
export const leafBlockSchema = z.discriminatedUnion('kind', [
  textBlockSchema.extend(withVariants),
  imageBlockSchema.extend(withVariants),
  buttonBlockSchema.extend(withVariants),
  dividerBlockSchema.extend(withVariants),
  spacerBlockSchema.extend(withVariants),
  socialBlockSchema.extend(withVariants),
  htmlBlockSchema.extend(withVariants),
  fragmentBlockSchema.extend(withVariants),
  decisionBlockSchema.extend(withVariants),
]);
export type LeafBlock = z.infer<typeof leafBlockSchema>;

export const variantSchema = z.object({
  name: z.string().min(1),
  condition: conditionSchema,
  blocks: z.array(leafBlockSchema),
});
export type Variant = z.infer<typeof variantSchema>;
/** Conditional content: variants in order, the first whose condition holds wins, else the default blocks. */
export const containerBlockSchema = z.object({
  kind: z.literal('container'),
  ...blockBase,
  defaultName: z.string().default('Default variant'),
  blocks: z.array(leafBlockSchema),
  variants: z.array(variantSchema).default([]),
});
export const componentSchema = z.discriminatedUnion('kind', [
  ...leafBlockSchema.options,
  containerBlockSchema,
]);
export type Component = z.infer<typeof componentSchema>;

export const columnSchema = z
  .object({
    id: z.string().min(1),
    /** A percentage ("33.33%") or pixels; columns without one share what is left equally. */
    width: cssValue.optional(),
    backgroundColor: colorValue.optional(),
    verticalAlign: z.enum(['top', 'middle', 'bottom']).optional(),
    blocks: z.array(componentSchema.meta({ title: 'Block' })),
  })
  .meta({ title: 'Column' });
export type Column = z.infer<typeof columnSchema>;
export const structureSchema = z.object({
  kind: z.literal('structure'),
  ...blockBase,
  columns: z.array(columnSchema).min(1).max(10).describe('One to ten columns.'),
  /** Columns sit side by side on mobile too (an mj-group) instead of stacking. */
  stackOnMobile: z.boolean().default(true).meta({ title: 'Stack columns on mobile' }),
  /** Variants of a whole structure: replacement structures' columns, chosen like a container's. */
  variants: z
    .array(
      z.object({
        name: z.string().min(1),
        condition: conditionSchema,
        columns: z.array(columnSchema).min(1).max(10),
      }),
    )
    .default([]),
});
export type Structure = z.infer<typeof structureSchema>;

/** Fonts, colours and widths applied everywhere in a document (MJML mj-attributes); blocks may override. */
export const emailThemeSchema = z
  .object({
    fontFamily: cssValue
      .optional()
      .meta({ title: 'Font', description: 'A font stack, e.g. Helvetica, Arial, sans-serif' }),
    fontSize: cssValue.optional().meta({ title: 'Text size' }),
    lineHeight: cssValue.optional(),
    textColor: colorValue.optional().meta({ title: 'Text colour' }),
    headingColor: colorValue.optional().meta({ title: 'Heading colour' }),
    linkColor: colorValue.optional().meta({ title: 'Link colour' }),
    buttonColor: colorValue.optional().meta({ title: 'Button colour' }),
    buttonTextColor: colorValue.optional().meta({ title: 'Button text colour' }),
    contentBackground: colorValue.optional().meta({
      title: 'Content background',
      description: 'Behind the structures (the body background is around them).',
    }),
    /** Colours offered by the text editor's palette. */
    palette: z.array(colorValue).max(16).default([]),
  })
  .meta({ title: 'Theme' });
export type EmailTheme = z.infer<typeof emailThemeSchema>;

export const emailDocumentSchema = z
  .object({
    version: z.literal(1).default(1),
    width: cssValue.default('600px'),
    backgroundColor: colorValue.optional(),
    fontFamily: cssValue.optional(),
    theme: emailThemeSchema.optional(),
    title: z.string().optional(),
    body: z.array(structureSchema.meta({ title: 'Structure' })).meta({ title: 'Structures' }),
  })
  .superRefine((doc, ctx) => {
    // Locks, diagnostics, the designer's selection and the code view's round trip name parts by id.
    const seen = new Map<string, string>();
    const note = (id: string, path: (string | number)[]): void => {
      const where = path.join('.');
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, where);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'id'],
        message: `id "${id}" is used twice (also at ${first}): ids name one structure, column or block`,
      });
    };
    doc.body.forEach((s, si) => {
      note(s.id, ['body', si]);
      s.columns.forEach((c, ci) => {
        note(c.id, ['body', si, 'columns', ci]);
        c.blocks.forEach((b, bi) => note(b.id, ['body', si, 'columns', ci, 'blocks', bi]));
      });
    });
  });
export type EmailDocument = z.infer<typeof emailDocumentSchema>;

/** Per-locale content of a multilingual message (manual or machine translation). */
export const emailLocaleVariantSchema = z.object({
  subject: z.string().optional(),
  preheader: z.string().optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  document: emailDocumentSchema.optional(),
});
export const pushLocaleVariantSchema = z.object({
  title: z.string().optional(),
  body: z.string().optional(),
});
export const smsLocaleVariantSchema = z.object({ text: z.string().optional() });

const common = {
  /** Content template applied (copied) into this message, for provenance. */
  template: z.string().optional().meta({
    title: 'Made from template',
    description: 'The content template copied into this content.',
  }),
  /** Language settings id: with it, `locales` holds one variant per locale. */
  languageSettings: z.string().optional().meta({
    title: 'Language settings',
    description: 'With language settings, Locales holds one variant per locale.',
  }),
};

export const emailContentSchema = z.object({
  channel: z.literal('email'),
  subject: z.string().describe('May hold personalization, e.g. {{profile.person.name.firstName}}.'),
  preheader: z.string().optional().describe('The line shown after the subject in the inbox.'),
  html: z
    .string()
    .default('')
    .meta({ title: 'HTML body', description: 'Used when there is no designed document.' }),
  text: z.string().optional().meta({ title: 'Plain-text body' }),
  document: emailDocumentSchema.optional().meta({
    title: 'Designed email',
    description: "The email designer's structures, columns and blocks.",
  }),
  locales: z
    .record(z.string(), emailLocaleVariantSchema)
    .optional()
    .describe('One variant per locale of the language settings.'),
  ...common,
});
export type EmailContent = z.infer<typeof emailContentSchema>;

const platformSchema = z.object({
  title: z.string().optional(),
  body: z.string().optional(),
  sound: z.string().optional(),
  badge: z.number().int().optional(),
  category: z.string().optional(),
  channelId: z.string().optional(),
  priority: z.enum(['normal', 'high']).optional(),
  image: z.string().optional(),
});
export const pushContentSchema = z.object({
  channel: z.literal('push'),
  title: z.string(),
  body: z.string(),
  image: z.string().optional(),
  deepLink: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(),
  ios: platformSchema.optional(),
  android: platformSchema.optional(),
  locales: z.record(z.string(), pushLocaleVariantSchema).optional(),
  ...common,
});
export type PushContent = z.infer<typeof pushContentSchema>;

export const smsContentSchema = z.object({
  channel: z.literal('sms'),
  text: z.string(),
  locales: z.record(z.string(), smsLocaleVariantSchema).optional(),
  ...common,
});
export type SmsContent = z.infer<typeof smsContentSchema>;

/** When an in-app message may show: at app launch, on a page (a glob with *), or on an event the SDK sends. */
export const inAppTriggerSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('appLaunch') })
    .strict()
    .meta({ title: 'App launch' }),
  z
    .object({
      kind: z.literal('pageView'),
      page: z
        .string()
        .min(1)
        .max(500)
        .describe('The page path, * matches any characters (e.g. /demo/luma/*).'),
    })
    .strict()
    .meta({ title: 'Page view' }),
  z
    .object({ kind: z.literal('event'), eventType: z.string().min(1).max(200) })
    .strict()
    .meta({ title: 'Event' }),
]);
export type InAppTrigger = z.infer<typeof inAppTriggerSchema>;

/** How often a profile sees a message: once, every time the trigger matches, or a number of times. */
export const inAppFrequencySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once') }).strict(),
  z.object({ kind: z.literal('everyTime') }).strict(),
  z.object({ kind: z.literal('times'), count: z.number().int().min(1).max(100) }).strict(),
]);
export type InAppFrequency = z.infer<typeof inAppFrequencySchema>;

export const inAppButtonSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - (at most 40)')
      .describe('Reported with a click (interaction "clicked", button).'),
    label: z.string().min(1).max(200),
    action: z.enum(['url', 'dismiss']).default('dismiss'),
    /** With action "url": where the button goes (may hold personalization and offers). */
    url: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'url' || (b.url !== undefined && b.url !== ''), {
    message: 'a button with action "url" needs a url',
    path: ['url'],
  });
export type InAppButton = z.infer<typeof inAppButtonSchema>;

export const inAppLocaleVariantSchema = z.object({
  title: z.string().optional(),
  body: z.string().optional(),
});

/** Default lifetime of an in-app message in the profile's inbox: 7 days. */
export const IN_APP_DEFAULT_EXPIRY_HOURS = 168;

export const inAppContentSchema = z.object({
  channel: z.literal('inApp'),
  layout: z.enum(['modal', 'banner', 'fullscreen']).default('modal'),
  title: z.string().max(2000).default('').describe('May hold personalization and offers.'),
  body: z.string().max(20_000).default('').describe('Plain text with line breaks.'),
  imageUrl: z.string().max(2000).optional(),
  buttons: z.array(inAppButtonSchema).max(2).default([]),
  trigger: inAppTriggerSchema.default({ kind: 'appLaunch' }),
  frequency: inAppFrequencySchema.default({ kind: 'once' }),
  expiresAfterHours: z
    .number()
    .int()
    .min(1)
    .max(91 * 24)
    .default(IN_APP_DEFAULT_EXPIRY_HOURS)
    .describe("How long the message stays in the profile's inbox (default 7 days)."),
  locales: z.record(z.string(), inAppLocaleVariantSchema).optional(),
  ...common,
});
export type InAppContent = z.infer<typeof inAppContentSchema>;

export const codeLocaleVariantSchema = z.object({ payload: z.string().optional() });

/** A code-based experience: HTML or JSON for a surface of a site or app (the site's code fetches it). */
export const codeContentSchema = z.object({
  channel: z.literal('code'),
  surface: z
    .string()
    .min(1)
    .max(500)
    .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/, 'a surface URI such as web://luma.example/demo/luma#hero')
    .describe('Where the experience goes, e.g. web://luma.example/demo/luma#hero.'),
  format: z.enum(['html', 'json']).default('html'),
  payload: z
    .string()
    .max(200_000)
    .describe('A personalization template; json must render to valid JSON.'),
  locales: z.record(z.string(), codeLocaleVariantSchema).optional(),
  ...common,
});
export type CodeContent = z.infer<typeof codeContentSchema>;

export const messageContentSchema = z.discriminatedUnion('channel', [
  emailContentSchema,
  pushContentSchema,
  smsContentSchema,
  inAppContentSchema,
  codeContentSchema,
]);
export type MessageContent = z.infer<typeof messageContentSchema>;
/** What callers may write (defaults not yet applied). */
export type MessageContentInput = z.input<typeof messageContentSchema>;
