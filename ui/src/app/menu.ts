// The left menu, in the product's order. `objectKind` entries are the generic object pages.
export interface MenuEntry {
  readonly label: string;
  readonly path: string;
  readonly group: string;
}

export const MENU: readonly MenuEntry[] = [
  { group: 'Journey management', label: 'Journeys', path: '/journeys' },
  { group: 'Journey management', label: 'Reports', path: '/reports' },
  { group: 'Customer', label: 'Audiences', path: '/objects/audiences' },
  { group: 'Customer', label: 'Profiles', path: '/profiles' },
  { group: 'Administration', label: 'Events', path: '/objects/event-types' },
  { group: 'Administration', label: 'Custom actions', path: '/objects/actions' },
  { group: 'Content management', label: 'Content templates', path: '/objects/content-templates' },
  { group: 'Content management', label: 'Fragments', path: '/objects/fragments' },
  { group: 'Content management', label: 'Assets', path: '/assets' },
  { group: 'Administration', label: 'Business rules', path: '/objects/rule-sets' },
  { group: 'Administration', label: 'Channel configurations', path: '/objects/channel-configurations' },
  { group: 'Administration', label: 'Identity namespaces', path: '/objects/namespaces' },
  { group: 'Administration', label: 'Language settings', path: '/objects/language-settings' },
  { group: 'Administration', label: 'Packages', path: '/packages' },
  { group: 'Development', label: 'Development inbox', path: '/inbox' },
  { group: 'Development', label: 'Dead letters', path: '/dead-letters' },
];

/** The object kinds with list/get/put/delete/post routes under /v1. */
export const OBJECT_KINDS = {
  'event-types': 'Events',
  actions: 'Custom actions',
  audiences: 'Audiences',
  'content-templates': 'Content templates',
  fragments: 'Fragments',
  'rule-sets': 'Business rules',
  'channel-configurations': 'Channel configurations',
  namespaces: 'Identity namespaces',
  'language-settings': 'Language settings',
} as const;
export type ObjectKind = keyof typeof OBJECT_KINDS;
export const isObjectKind = (k: string): k is ObjectKind => k in OBJECT_KINDS;
