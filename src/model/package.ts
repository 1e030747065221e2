import { z } from 'zod';

// A package: many objects in one JSON or YAML document, applied together and written by
// `waymark export`. The format is versioned by `format`; docs/packages.md describes it.
export const PACKAGE_FORMAT = 'waymark.package/v1';
/** The largest image a package carries per asset version (as assets are uploaded). */
export const MAX_PACKAGE_FILE_BYTES = 10 * 1024 * 1024;

export const packageObjectSchema = z.object({
  /** namespace, eventType, action, channelConfiguration, ruleSet, fragment, contentTemplate, languageSettings, audience, placement, offer, decisionPolicy, landingPage, profile, journey, campaign */
  kind: z.string().min(1),
  /** Journeys and campaigns: their id. Other kinds take their key from the spec (name, code or id). */
  id: z.string().min(1).max(120).optional(),
  spec: z.record(z.string(), z.unknown()),
  /** Journeys: publish after applying (a new version when the live one differs). Campaigns: activate a draft. */
  publish: z.boolean().optional(),
  /** Assets only: the image of each version, base64 (the asset's URLs are rewritten for the target sandbox). */
  files: z
    .array(
      z.object({
        version: z.number().int().min(1),
        mimeType: z.string().min(1).max(100),
        base64: z
          .string()
          .max(Math.ceil(MAX_PACKAGE_FILE_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
      }),
    )
    .max(50)
    .optional(),
});
export type PackageObject = z.infer<typeof packageObjectSchema>;

export const packageSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  objects: z.array(packageObjectSchema).max(10_000),
});
export type Package = z.infer<typeof packageSchema>;

/** The order in which kinds are applied, so that every object finds what it refers to. */
export const applyOrder: readonly string[] = [
  'namespace',
  'profileSchema',
  'eventType',
  'segmentSource',
  'action',
  'channelConfiguration',
  'ruleSet',
  'asset',
  'fragment',
  'contentTemplate',
  'languageSettings',
  'audience',
  'placement',
  'offer',
  'decisionPolicy',
  'landingPage',
  'profile',
  'journey',
  'campaign',
];

/**
 * What to do with an object of the package that exists in the sandbox with other content:
 * `use-existing` keeps the sandbox's (skipped), `replace` writes the package's, `copy` writes the
 * package's under a new key (`<key>-copy`) and points the package's other objects at the copy.
 */
export const conflictChoiceSchema = z.enum(['use-existing', 'replace', 'copy']);
export type ConflictChoice = z.infer<typeof conflictChoiceSchema>;

/** `POST /v1/packages/apply` and `/plan`: a bare package, or the package with a choice per conflict (`kind:key`). */
export const applyRequestSchema = z
  .object({
    package: z.unknown(),
    conflicts: z
      .record(z.string().regex(/^[A-Za-z]+:.+$/, 'kind:key'), conflictChoiceSchema)
      .default({}),
    defaultConflict: conflictChoiceSchema.default('replace'),
  })
  .strict();
export type ApplyRequest = z.infer<typeof applyRequestSchema>;
