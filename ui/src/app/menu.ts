// The left menu, in the product's order. `objectKind` entries are the generic object pages.
import type { Permission } from '../../../src/access/permissions.ts';

export interface MenuEntry {
  readonly label: string;
  readonly path: string;
  readonly group: string;
  /** The list route whose answer says whether the key may use this entry. */
  readonly probe?: string;
  /** The permission the entry needs in the current sandbox (GET /v1/me). */
  readonly permission?: Permission;
}

export const MENU: readonly MenuEntry[] = [
  { group: 'Journey management', label: 'Journeys', path: '/journeys', probe: '/v1/journeys' },
  { group: 'Journey management', label: 'Reports', path: '/reports', probe: '/v1/journeys' },
  { group: 'Journey management', label: 'Approvals', path: '/approvals', permission: 'journeys.view' },
  { group: 'Customer', label: 'Audiences', path: '/objects/audiences', probe: '/v1/audiences' },
  { group: 'Customer', label: 'Profiles', path: '/profiles', probe: '/v1/profiles?limit=1' },
  { group: 'Content management', label: 'Content templates', path: '/objects/content-templates', probe: '/v1/content-templates' },
  { group: 'Content management', label: 'Fragments', path: '/objects/fragments', probe: '/v1/fragments' },
  { group: 'Content management', label: 'Assets', path: '/objects/assets', probe: '/v1/assets' },
  { group: 'Content management', label: 'Translation projects', path: '/translation-projects', probe: '/v1/translation-projects?limit=1' },
  { group: 'Administration', label: 'Events', path: '/objects/event-types', probe: '/v1/event-types' },
  { group: 'Administration', label: 'Custom actions', path: '/objects/actions', probe: '/v1/actions' },
  { group: 'Administration', label: 'Business rules', path: '/objects/rule-sets', probe: '/v1/rule-sets' },
  { group: 'Administration', label: 'Channel configurations', path: '/objects/channel-configurations', probe: '/v1/channel-configurations' },
  { group: 'Administration', label: 'Identity namespaces', path: '/objects/namespaces', probe: '/v1/namespaces' },
  { group: 'Administration', label: 'Language settings', path: '/objects/language-settings', probe: '/v1/language-settings' },
  { group: 'Administration', label: 'Profile schema', path: '/objects/profile-schemas', probe: '/v1/profile-schemas' },
  { group: 'Administration', label: 'Packages', path: '/packages' },
  { group: 'Access', label: 'Users', path: '/admin/users', permission: 'users.manage' },
  { group: 'Access', label: 'Roles', path: '/admin/roles', permission: 'roles.manage' },
  { group: 'Access', label: 'API keys', path: '/admin/api-keys', permission: 'keys.manage' },
  { group: 'Access', label: 'Sandboxes', path: '/admin/sandboxes', permission: 'sandboxes.manage' },
  { group: 'Access', label: 'Audit log', path: '/admin/audit-log', permission: 'audit.view' },
  { group: 'Development', label: 'Development inbox', path: '/inbox', probe: '/v1/dev/inbox?limit=1' },
  { group: 'Development', label: 'Dead letters', path: '/dead-letters', probe: '/v1/dead-letters?limit=1' },
  { group: 'Development', label: 'System status', path: '/system', probe: '/v1/status' },
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
  assets: 'Assets',
  'profile-schemas': 'Profile schema',
} as const;
export type ObjectKind = keyof typeof OBJECT_KINDS;

/** One object of the kind, in a sentence: "New custom action", "Delete this business rule set". */
export const OBJECT_SINGULAR: Record<ObjectKind, string> = {
  'event-types': 'event',
  actions: 'custom action',
  audiences: 'audience',
  'content-templates': 'content template',
  fragments: 'fragment',
  'rule-sets': 'business rule set',
  'channel-configurations': 'channel configuration',
  namespaces: 'identity namespace',
  'language-settings': 'language settings',
  assets: 'asset',
  'profile-schemas': 'profile schema',
};

/** The spec field that keys each kind (src/runtime/object-kinds.ts). */
export const OBJECT_KEY_FIELD: Record<ObjectKind, string> = {
  'event-types': 'name', actions: 'name', audiences: 'name', 'content-templates': 'id', fragments: 'id', 'rule-sets': 'name',
  'channel-configurations': 'name', namespaces: 'code', 'language-settings': 'id', assets: 'id', 'profile-schemas': 'name',
};
export const isObjectKind = (k: string): k is ObjectKind => k in OBJECT_KINDS;
