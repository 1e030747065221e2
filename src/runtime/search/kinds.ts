// The kinds the quick search finds, in the order equal matches are listed, with what people call
// one of them and the console page that shows it.
import { objectKindByName } from '../object-kinds.ts';

export interface SearchKind {
  readonly kind: string;
  /** One of them on screen: 'Journey', 'Fragment', 'Profile'. */
  readonly title: string;
}

export const SEARCH_KINDS: readonly SearchKind[] = [
  { kind: 'journey', title: 'Journey' },
  { kind: 'contentTemplate', title: 'Content template' },
  { kind: 'fragment', title: 'Fragment' },
  { kind: 'audience', title: 'Audience' },
  { kind: 'channelConfiguration', title: 'Channel configuration' },
  { kind: 'action', title: 'Custom action' },
  { kind: 'eventType', title: 'Event' },
  { kind: 'ruleSet', title: 'Business rule set' },
  { kind: 'asset', title: 'Asset' },
  { kind: 'languageSettings', title: 'Language settings' },
  { kind: 'offer', title: 'Offer' },
  { kind: 'decisionPolicy', title: 'Decision policy' },
  { kind: 'landingPage', title: 'Landing page' },
  { kind: 'placement', title: 'Placement' },
  { kind: 'namespace', title: 'Identity namespace' },
  { kind: 'profileSchema', title: 'Profile schema' },
  { kind: 'profile', title: 'Profile' },
];

export const kindOrder = new Map(SEARCH_KINDS.map((k, i) => [k.kind, i] as const));
export const kindTitle = new Map(SEARCH_KINDS.map((k) => [k.kind, k.title] as const));

/** The console page of a journey or stored object. */
export function consolePath(kind: string, key: string): string {
  if (kind === 'journey') return `/journeys/${encodeURIComponent(key)}`;
  const route = objectKindByName.get(kind)?.route;
  if (route === undefined) throw new Error(`no console page for kind "${kind}"`);
  return `/objects/${route}/${encodeURIComponent(key)}`;
}

/** The console's profile page for an identity (ui/src/objects/profiles.tsx reads these parameters). */
export const profilePath = (namespace: string, id: string): string =>
  `/profiles?${new URLSearchParams({ namespace, id }).toString()}`;
