// The permissions a role grants, per sandbox. One flat catalogue: object kinds × what is done to
// them (view, manage = create/edit, publish, delete, export/import), personal data, and
// administration. Every route declares exactly one of these (src/api/route-permissions.ts), or is
// public, or needs only a signed-in caller.

export const PERMISSIONS = [
  // Journeys: view covers reports; publish covers publish, stop, pause, resume, test mode and approving.
  'journeys.view',
  'journeys.manage',
  'journeys.publish',
  'journeys.delete',
  // Campaigns: view covers reports and audience estimates; publish covers activate and stop;
  // trigger sends an API-triggered campaign's messages.
  'campaigns.view',
  'campaigns.manage',
  'campaigns.publish',
  'campaigns.delete',
  'campaigns.trigger',
  // Content: templates, fragments, assets, language settings, translation projects, proofs and previews,
  // decisioning (placements, offers, decision policies) and landing pages (publishing one too).
  'content.view',
  'content.manage',
  'content.delete',
  'audiences.view',
  'audiences.manage',
  'audiences.delete',
  // Schemas: event types, profile schemas, identity namespaces.
  'schemas.view',
  'schemas.manage',
  'schemas.delete',
  'actions.view',
  'actions.manage',
  'actions.delete',
  'channels.view',
  'channels.manage',
  'channels.delete',
  'rules.view',
  'rules.manage',
  'rules.delete',
  'packages.export',
  'packages.import',
  // Personal data.
  'events.ingest',
  'profiles.read',
  'profiles.manage',
  'profiles.erase',
  'messages.content',
  // Administration.
  'users.manage',
  'roles.manage',
  'keys.manage',
  'sandboxes.manage',
  'settings.manage',
  'audit.view',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** What a route needs: a permission, any signed-in caller ('signed-in'), or nobody ('public'). */
export type RouteRequirement = Permission | 'signed-in' | 'public';

const known = new Set<string>(PERMISSIONS);
export const isPermission = (s: string): s is Permission => known.has(s);

/** How the console groups permissions on the role page. */
export const PERMISSION_GROUPS: ReadonlyArray<{
  readonly title: string;
  readonly permissions: readonly Permission[];
}> = [
  {
    title: 'Journeys',
    permissions: ['journeys.view', 'journeys.manage', 'journeys.publish', 'journeys.delete'],
  },
  {
    title: 'Campaigns',
    permissions: [
      'campaigns.view',
      'campaigns.manage',
      'campaigns.publish',
      'campaigns.delete',
      'campaigns.trigger',
    ],
  },
  { title: 'Content', permissions: ['content.view', 'content.manage', 'content.delete'] },
  { title: 'Audiences', permissions: ['audiences.view', 'audiences.manage', 'audiences.delete'] },
  {
    title: 'Schemas, events and namespaces',
    permissions: ['schemas.view', 'schemas.manage', 'schemas.delete'],
  },
  { title: 'Custom actions', permissions: ['actions.view', 'actions.manage', 'actions.delete'] },
  {
    title: 'Channel configurations',
    permissions: ['channels.view', 'channels.manage', 'channels.delete'],
  },
  { title: 'Business rules', permissions: ['rules.view', 'rules.manage', 'rules.delete'] },
  { title: 'Packages', permissions: ['packages.export', 'packages.import'] },
  {
    title: 'Data',
    permissions: [
      'events.ingest',
      'profiles.read',
      'profiles.manage',
      'profiles.erase',
      'messages.content',
    ],
  },
  {
    title: 'Administration',
    permissions: [
      'users.manage',
      'roles.manage',
      'keys.manage',
      'sandboxes.manage',
      'settings.manage',
      'audit.view',
    ],
  },
];

/** The permission family each stored object kind (src/runtime/object-kinds.ts `kind`) belongs to. */
export const OBJECT_KIND_AREA: Readonly<
  Record<string, 'content' | 'audiences' | 'schemas' | 'actions' | 'channels' | 'rules'>
> = {
  namespace: 'schemas',
  profileSchema: 'schemas',
  eventType: 'schemas',
  action: 'actions',
  channelConfiguration: 'channels',
  ruleSet: 'rules',
  fragment: 'content',
  contentTemplate: 'content',
  audience: 'audiences',
  asset: 'content',
  languageSettings: 'content',
  placement: 'content',
  offer: 'content',
  decisionPolicy: 'content',
  // How Segment calls map to events: the data engineer's, like event types.
  segmentSource: 'schemas',
  landingPage: 'content',
  // Outbound HTTP with a signing secret, to an allowed host: like a custom action.
  webhook: 'actions',
};

/** The permission to do `what` to objects of a stored kind. */
export function objectPermission(kind: string, what: 'view' | 'manage' | 'delete'): Permission {
  const area = OBJECT_KIND_AREA[kind];
  if (area === undefined) throw new Error(`no permission family for object kind "${kind}"`);
  return `${area}.${what}`;
}
