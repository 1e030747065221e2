// The left menu, in the product's order. `objectKind` entries are the generic object pages.
import type { Permission } from '@waymark/shared/access/permissions.ts';
import { CAMPAIGN_PERMISSION } from '../campaigns/campaign-api.ts';

export interface MenuEntry {
  readonly label: string;
  readonly path: string;
  readonly group: string;
  /**
   * What the entry needs in the current sandbox (GET /v1/me): a permission, or a list of which any
   * one will do. Entries without one are for every signed-in person. The same permissions as the
   * routes the page reads (src/api/route-permissions.ts), so the menu never offers a page that
   * would answer 403.
   */
  readonly permission?: Permission | readonly Permission[];
}

export const MENU: readonly MenuEntry[] = [
  {
    group: 'Journey management',
    label: 'Journeys',
    path: '/journeys',
    permission: 'journeys.view',
  },
  {
    group: 'Journey management',
    label: 'Campaigns',
    path: '/campaigns',
    permission: CAMPAIGN_PERMISSION.view,
  },
  { group: 'Journey management', label: 'Reports', path: '/reports', permission: 'journeys.view' },
  {
    group: 'Journey management',
    label: 'Approvals',
    path: '/approvals',
    permission: 'journeys.view',
  },
  {
    group: 'Customer',
    label: 'Audiences',
    path: '/objects/audiences',
    permission: 'audiences.view',
  },
  { group: 'Customer', label: 'Profiles', path: '/profiles', permission: 'profiles.read' },
  {
    group: 'Content management',
    label: 'Content templates',
    path: '/objects/content-templates',
    permission: 'content.view',
  },
  {
    group: 'Content management',
    label: 'Fragments',
    path: '/objects/fragments',
    permission: 'content.view',
  },
  {
    group: 'Content management',
    label: 'Assets',
    path: '/objects/assets',
    permission: 'content.view',
  },
  {
    group: 'Content management',
    label: 'Landing pages',
    path: '/landing-pages',
    permission: 'content.view',
  },
  {
    group: 'Content management',
    label: 'Translation projects',
    path: '/translation-projects',
    permission: 'content.view',
  },
  {
    group: 'Decisioning',
    label: 'Offers',
    path: '/objects/offers',
    permission: 'content.view',
  },
  {
    group: 'Decisioning',
    label: 'Placements',
    path: '/objects/placements',
    permission: 'content.view',
  },
  {
    group: 'Decisioning',
    label: 'Decision policies',
    path: '/objects/decision-policies',
    permission: 'content.view',
  },
  {
    group: 'Administration',
    label: 'Events',
    path: '/objects/event-types',
    permission: 'schemas.view',
  },
  {
    group: 'Administration',
    label: 'Custom actions',
    path: '/objects/actions',
    permission: 'actions.view',
  },
  {
    group: 'Administration',
    label: 'Business rules',
    path: '/objects/rule-sets',
    permission: 'rules.view',
  },
  {
    group: 'Administration',
    label: 'Channel configurations',
    path: '/objects/channel-configurations',
    permission: 'channels.view',
  },
  // Suppressed addresses are people's: read as profiles are.
  {
    group: 'Administration',
    label: 'Suppression list',
    path: '/suppressions',
    permission: 'profiles.read',
  },
  {
    group: 'Administration',
    label: 'Segment sources',
    path: '/objects/segment-sources',
    permission: 'schemas.view',
  },
  {
    group: 'Administration',
    label: 'Identity namespaces',
    path: '/objects/namespaces',
    permission: 'schemas.view',
  },
  {
    group: 'Administration',
    label: 'Language settings',
    path: '/objects/language-settings',
    permission: 'content.view',
  },
  {
    group: 'Administration',
    label: 'Profile schema',
    path: '/objects/profile-schemas',
    permission: 'schemas.view',
  },
  {
    group: 'Administration',
    label: 'Packages',
    path: '/packages',
    permission: ['packages.export', 'packages.import'],
  },
  { group: 'Access', label: 'Users', path: '/admin/users', permission: 'users.manage' },
  { group: 'Access', label: 'Roles', path: '/admin/roles', permission: 'roles.manage' },
  { group: 'Access', label: 'API keys', path: '/admin/api-keys', permission: 'keys.manage' },
  { group: 'Access', label: 'Sandboxes', path: '/admin/sandboxes', permission: 'sandboxes.manage' },
  { group: 'Access', label: 'Audit log', path: '/admin/audit-log', permission: 'audit.view' },
  {
    group: 'Development',
    label: 'Development inbox',
    path: '/inbox',
    permission: 'messages.content',
  },
  // Events that could not be processed hold personal data: read as profiles are.
  {
    group: 'Development',
    label: 'Dead letters',
    path: '/dead-letters',
    permission: 'profiles.read',
  },
  { group: 'Development', label: 'System status', path: '/system' },
];

/** The permissions an entry accepts (any one of them), empty for every signed-in person. */
export const entryPermissions = (m: MenuEntry): readonly Permission[] =>
  m.permission === undefined
    ? []
    : typeof m.permission === 'string'
      ? [m.permission]
      : m.permission;

/** The menu entry a console path belongs to (its own page or one below it): '/objects/fragments/x' → Fragments. */
export function entryOf(path: string): MenuEntry | undefined {
  if (path === '/') return MENU[0];
  return MENU.find((m) => path === m.path || path.startsWith(`${m.path}/`));
}

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
  offers: 'Offers',
  placements: 'Placements',
  'decision-policies': 'Decision policies',
  'segment-sources': 'Segment sources',
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
  offers: 'offer',
  placements: 'placement',
  'decision-policies': 'decision policy',
  'segment-sources': 'Segment source',
};

/** The spec field that keys each kind (src/runtime/object-kinds.ts). */
export const OBJECT_KEY_FIELD: Record<ObjectKind, string> = {
  'event-types': 'name',
  actions: 'name',
  audiences: 'name',
  'content-templates': 'id',
  fragments: 'id',
  'rule-sets': 'name',
  'channel-configurations': 'name',
  namespaces: 'code',
  'language-settings': 'id',
  assets: 'id',
  'profile-schemas': 'name',
  offers: 'id',
  placements: 'id',
  'decision-policies': 'id',
  'segment-sources': 'id',
};
export const isObjectKind = (k: string): k is ObjectKind => k in OBJECT_KINDS;

/** The stored kind behind each console route (src/runtime/object-kinds.ts), for objectPermission(). */
export const OBJECT_STORED_KIND: Record<ObjectKind, string> = {
  'event-types': 'eventType',
  actions: 'action',
  audiences: 'audience',
  'content-templates': 'contentTemplate',
  fragments: 'fragment',
  'rule-sets': 'ruleSet',
  'channel-configurations': 'channelConfiguration',
  namespaces: 'namespace',
  'language-settings': 'languageSettings',
  assets: 'asset',
  'profile-schemas': 'profileSchema',
  offers: 'offer',
  placements: 'placement',
  'decision-policies': 'decisionPolicy',
  'segment-sources': 'segmentSource',
};
