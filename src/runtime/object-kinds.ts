// Every kind of stored object, with the schema that validates it and the field that keys it.
// The HTTP API, packages and the CLI all go through this one table.
import type { z } from 'zod';
import { channelConfigurationSchema } from '../model/channel-configuration.ts';
import { contentTemplateSchema } from '../model/content-template.ts';
import { customActionSchema } from '../model/custom-action.ts';
import { assetSchema } from '../model/asset.ts';
import { audienceSchema } from '../model/audience.ts';
import { eventTypeSchema } from '../model/event-type.ts';
import { fragmentSchema } from '../model/fragment.ts';
import { identityNamespaceSchema } from '../model/identity.ts';
import { profileSchemaSchema } from '../model/profile.ts';
import { languageSettingsSchema } from '../model/language-settings.ts';
import { ruleSetSchema } from '../model/rule-set.ts';
import { offerSchema } from '../model/offer.ts';
import { placementSchema } from '../model/placement.ts';
import { decisionPolicySchema } from '../model/decision-policy.ts';
import { segmentSourceSchema } from '../model/segment-source.ts';
import { landingPageSchema } from '../model/landing-page.ts';
import { webhookSchema } from '../model/webhook.ts';

export interface ObjectKind {
  /** Name in packages and storage. */
  readonly kind: string;
  /** Path segment under /v1. */
  readonly route: string;
  readonly title: string;
  readonly schema: z.ZodType;
  readonly keyOf: (body: Record<string, unknown>) => string;
  /** Kinds a journey compiles against: changing one invalidates compiled journeys. */
  readonly affectsJourneys: boolean;
}

const by =
  (field: string) =>
  (body: Record<string, unknown>): string =>
    String(body[field]);

export const objectKinds: readonly ObjectKind[] = [
  {
    kind: 'namespace',
    route: 'namespaces',
    title: 'identity namespace',
    schema: identityNamespaceSchema,
    keyOf: by('code'),
    affectsJourneys: true,
  },
  {
    kind: 'profileSchema',
    route: 'profile-schemas',
    title: 'profile schema',
    schema: profileSchemaSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'eventType',
    route: 'event-types',
    title: 'event type',
    schema: eventTypeSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'action',
    route: 'actions',
    title: 'custom action',
    schema: customActionSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'channelConfiguration',
    route: 'channel-configurations',
    title: 'channel configuration',
    schema: channelConfigurationSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'ruleSet',
    route: 'rule-sets',
    title: 'business rule set',
    schema: ruleSetSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'fragment',
    route: 'fragments',
    title: 'fragment',
    schema: fragmentSchema,
    keyOf: by('id'),
    affectsJourneys: true,
  },
  {
    kind: 'contentTemplate',
    route: 'content-templates',
    title: 'content template',
    schema: contentTemplateSchema,
    keyOf: by('id'),
    affectsJourneys: true,
  },
  {
    kind: 'audience',
    route: 'audiences',
    title: 'audience',
    schema: audienceSchema,
    keyOf: by('name'),
    affectsJourneys: true,
  },
  {
    kind: 'asset',
    route: 'assets',
    title: 'asset',
    schema: assetSchema,
    keyOf: by('id'),
    affectsJourneys: true,
  },
  {
    kind: 'languageSettings',
    route: 'language-settings',
    title: 'language settings',
    schema: languageSettingsSchema,
    keyOf: by('id'),
    affectsJourneys: true,
  },
  {
    kind: 'placement',
    route: 'placements',
    title: 'placement',
    schema: placementSchema,
    keyOf: by('id'),
    affectsJourneys: false,
  },
  {
    kind: 'offer',
    route: 'offers',
    title: 'offer',
    schema: offerSchema,
    keyOf: by('id'),
    affectsJourneys: false,
  },
  {
    kind: 'decisionPolicy',
    route: 'decision-policies',
    title: 'decision policy',
    schema: decisionPolicySchema,
    keyOf: by('id'),
    affectsJourneys: false,
  },
  {
    kind: 'segmentSource',
    route: 'segment-sources',
    title: 'Segment source',
    schema: segmentSourceSchema,
    keyOf: by('id'),
    affectsJourneys: false,
  },
  {
    kind: 'landingPage',
    route: 'landing-pages',
    title: 'landing page',
    schema: landingPageSchema,
    keyOf: by('slug'),
    affectsJourneys: false,
  },
  {
    kind: 'webhook',
    route: 'webhooks',
    title: 'webhook subscription',
    schema: webhookSchema,
    keyOf: by('id'),
    affectsJourneys: false,
  },
];

export const objectKindByName = new Map(objectKinds.map((k) => [k.kind, k] as const));

/** "an offer", "a fragment": a kind's title with its article, for sentences. */
export const withArticle = (title: string): string =>
  `${/^[aeiou]/i.test(title) ? 'an' : 'a'} ${title}`;
