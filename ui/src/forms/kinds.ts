// The object kinds the forms edit: each one's zod schema (the server's own, from src/model), its key
// field, which fields name other objects (pickers) and which hold secrets (shown "[redacted]").
import type { z } from 'zod';
import type { ObjectKind } from '../app/menu.ts';
import { assetSchema } from '@waymark/shared/model/asset.ts';
import { audienceSchema, unaryAttributeOps } from '@waymark/shared/model/audience.ts';
import type { AttributeOp } from '@waymark/shared/model/audience.ts';
import {
  channelConfigurationSchema,
  channelSecretPaths,
} from '@waymark/shared/model/channel-configuration.ts';
import { contentTemplateSchema } from '@waymark/shared/model/content-template.ts';
import {
  customActionSchema,
  customActionSecretPaths,
} from '@waymark/shared/model/custom-action.ts';
import { eventTypeSchema } from '@waymark/shared/model/event-type.ts';
import { fragmentSchema } from '@waymark/shared/model/fragment.ts';
import { defaultNamespaces, identityNamespaceSchema } from '@waymark/shared/model/identity.ts';
import { languageSettingsSchema } from '@waymark/shared/model/language-settings.ts';
import { profileSchemaSchema } from '@waymark/shared/model/profile.ts';
import { ruleSetSchema } from '@waymark/shared/model/rule-set.ts';
import { offerSchema } from '@waymark/shared/model/offer.ts';
import { placementSchema } from '@waymark/shared/model/placement.ts';
import { decisionPolicySchema } from '@waymark/shared/model/decision-policy.ts';
import { segmentSourceSchema } from '@waymark/shared/model/segment-source.ts';

/** The route names of src/app/menu.ts's OBJECT_KINDS. */
export type ObjectKindName = ObjectKind;

/** Names of other objects for pickers: what `references(kind)` answers. */
export type ReferenceLookup = (
  kind: ObjectKindName,
) => ReadonlyArray<{ readonly key: string; readonly label: string }>;

export interface KindInfo {
  readonly schema: z.ZodType;
  /** The field that keys the object (fixed once created). */
  readonly keyField: string;
  /** One object of this kind, in words: "an event type". */
  readonly noun: string;
}

export const KINDS: Readonly<Record<ObjectKindName, KindInfo>> = {
  'event-types': { schema: eventTypeSchema, keyField: 'name', noun: 'an event type' },
  actions: { schema: customActionSchema, keyField: 'name', noun: 'a custom action' },
  audiences: { schema: audienceSchema, keyField: 'name', noun: 'an audience' },
  'content-templates': {
    schema: contentTemplateSchema,
    keyField: 'id',
    noun: 'a content template',
  },
  fragments: { schema: fragmentSchema, keyField: 'id', noun: 'a fragment' },
  'rule-sets': { schema: ruleSetSchema, keyField: 'name', noun: 'a rule set' },
  'channel-configurations': {
    schema: channelConfigurationSchema,
    keyField: 'name',
    noun: 'a channel configuration',
  },
  namespaces: { schema: identityNamespaceSchema, keyField: 'code', noun: 'an identity namespace' },
  'language-settings': {
    schema: languageSettingsSchema,
    keyField: 'id',
    noun: 'a language setting',
  },
  assets: { schema: assetSchema, keyField: 'id', noun: 'an asset' },
  'profile-schemas': { schema: profileSchemaSchema, keyField: 'name', noun: 'a profile schema' },
  offers: { schema: offerSchema, keyField: 'id', noun: 'an offer' },
  placements: { schema: placementSchema, keyField: 'id', noun: 'a placement' },
  'decision-policies': {
    schema: decisionPolicySchema,
    keyField: 'id',
    noun: 'a decision policy',
  },
  'segment-sources': { schema: segmentSourceSchema, keyField: 'id', noun: 'a Segment source' },
};

export const KIND_NAMES = Object.keys(KINDS) as ObjectKindName[];

/**
 * The kind of object a field names, if any. `key` is the field's property name, `tag` the
 * discriminator value of the variant it sits in (an audience rule's `kind`), `depth` its nesting.
 */
export function referenceOf(
  kind: ObjectKindName,
  key: string,
  tag: string | undefined,
  depth: number,
): ObjectKindName | undefined {
  switch (key) {
    case 'namespace':
      return 'namespaces';
    case 'eventType':
      return 'event-types';
    case 'assetId':
      return 'assets';
    case 'fragmentId':
      return 'fragments';
    case 'languageSettings':
      return 'language-settings';
    // An offer's representation and a decision policy name their placement.
    case 'placement':
      return kind === 'offers' || kind === 'decision-policies' ? 'placements' : undefined;
    case 'imageAsset':
      return kind === 'offers' ? 'assets' : undefined;
    case 'fallback':
      return kind === 'decision-policies' ? 'offers' : undefined;
    case 'unmappedTrack':
      return kind === 'segment-sources' ? 'event-types' : undefined;
    case 'template':
      return kind === 'content-templates' ? 'content-templates' : undefined;
    case 'audience':
      return tag === 'audience' ? 'audiences' : undefined;
    // An audience rule "member of audience X" names X.
    case 'name':
      return kind === 'audiences' && tag === 'audience' && depth > 1 ? 'audiences' : undefined;
    default:
      return undefined;
  }
}

/** Dot paths (no array indices) of secret fields; channel configurations by their channel. */
export function secretPaths(
  kind: ObjectKindName,
  spec: Record<string, unknown>,
): readonly string[] {
  if (kind === 'actions') return customActionSecretPaths;
  if (kind === 'channel-configurations') {
    const channel = spec['channel'];
    return channel === 'email' || channel === 'push' || channel === 'sms'
      ? channelSecretPaths[channel]
      : [];
  }
  return [];
}

/** What the API shows in place of a stored secret; sent back, it keeps the secret. */
export const REDACTED = '[redacted]';

/** The human name of an object for lists: its name or title, else its key. */
export function displayName(kind: ObjectKindName, spec: Record<string, unknown>): string {
  const pick = (...fields: string[]) =>
    fields.map((f) => spec[f]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const key = pick(KINDS[kind].keyField) ?? '';
  switch (kind) {
    case 'namespaces':
      return pick('name') ?? key;
    case 'fragments':
    case 'content-templates':
    case 'assets':
    case 'language-settings':
    case 'offers':
    case 'placements':
    case 'decision-policies':
    case 'segment-sources':
      return pick('name', 'title') ?? key;
    case 'profile-schemas':
      return key === 'profile' ? 'Profile schema' : key;
    default:
      return key;
  }
}

/** Objects every sandbox has without storing them (the default identity namespaces) join the pickers. */
export function withBuiltIns(lookup: ReferenceLookup): ReferenceLookup {
  return (kind) => {
    const found = lookup(kind);
    if (kind !== 'namespaces') return found;
    const builtIn = defaultNamespaces
      .filter((n) => !found.some((f) => f.key === n.code))
      .map((n) => ({ key: n.code, label: n.name }));
    return [...builtIn, ...found];
  };
}

/** Top-level fields the server keeps (versions and their history): shown read-only, sent back as they came. */
export function managedFields(kind: ObjectKindName): readonly string[] {
  return kind === 'fragments' || kind === 'assets' ? ['version', 'history'] : [];
}

/** Top-level fields a purpose-built editor on the page edits instead of the form (an offer's eligibility). */
export function editedApart(kind: ObjectKindName): readonly string[] {
  return kind === 'offers'
    ? ['eligibility', 'attributes']
    : kind === 'decision-policies'
      ? ['strategies']
      : [];
}

/**
 * A field that means nothing in its object's current state, hidden while empty: a variable payload
 * field's value (the journey sets it), the value of an "exists" or "is true" condition.
 */
export function irrelevant(
  kind: ObjectKindName,
  key: string,
  parent: Readonly<Record<string, unknown>>,
): boolean {
  if (key !== 'value') return false;
  if (kind === 'actions') return parent['kind'] === 'variable';
  if (kind === 'audiences')
    return parent['kind'] === 'attribute' && unaryAttributeOps.has(parent['op'] as AttributeOp);
  return false;
}
