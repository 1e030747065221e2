import { z } from 'zod';

// A package: many objects in one JSON or YAML document, applied together and written by
// `waymark export`. The format is versioned by `format`; docs/packages.md describes it.
export const PACKAGE_FORMAT = 'waymark.package/v1';

export const packageObjectSchema = z.object({
  /** namespace, eventType, action, channelConfiguration, ruleSet, fragment, contentTemplate, languageSettings, audience, profile, journey */
  kind: z.string().min(1),
  /** Journeys: the journey id. Other kinds take their key from the spec (name, code or id). */
  id: z.string().min(1).max(120).optional(),
  spec: z.record(z.string(), z.unknown()),
  /** Journeys only: publish after applying (a new version when the live one differs). */
  publish: z.boolean().optional(),
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
  'namespace', 'profileSchema', 'eventType', 'action', 'channelConfiguration', 'ruleSet', 'asset', 'fragment', 'contentTemplate', 'languageSettings', 'audience', 'profile', 'journey',
];
