// The built-in roles (AJO's product profiles). Custom roles are sets of the same permissions. A
// role also lists the access labels (OLAC) its holders may see: '*' for every label.
import { PERMISSIONS, type Permission } from './permissions.ts';

export interface RoleDefinition {
  /** Lowercase letters, digits and '-'. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  /** Access labels the role may see and change objects under; ['*'] for all. Unlabelled objects are always visible. */
  readonly labels: readonly string[];
  readonly builtIn: boolean;
}

const VIEW_ALL: readonly Permission[] = [
  'journeys.view',
  'campaigns.view',
  'content.view',
  'audiences.view',
  'schemas.view',
  'actions.view',
  'channels.view',
  'rules.view',
];

export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    name: 'admin',
    title: 'Administrator',
    description: 'Everything, including users, roles, API keys, sandboxes and the audit log.',
    permissions: [...PERMISSIONS],
    labels: ['*'],
    builtIn: true,
  },
  {
    name: 'journey-manager',
    title: 'Journey manager',
    description:
      'Builds, tests, publishes and stops journeys, campaigns and their custom actions; reads profiles and messages.',
    permissions: [
      ...VIEW_ALL,
      'journeys.manage',
      'journeys.publish',
      'journeys.delete',
      'campaigns.manage',
      'campaigns.publish',
      'campaigns.delete',
      'campaigns.trigger',
      'actions.manage',
      'events.ingest',
      'profiles.read',
      'profiles.manage',
      'messages.content',
      'packages.export',
    ],
    labels: ['*'],
    builtIn: true,
  },
  {
    name: 'content-manager',
    title: 'Content manager',
    description:
      'Edits templates, fragments, assets and translations; previews with profiles; cannot publish journeys.',
    permissions: [
      ...VIEW_ALL,
      'content.manage',
      'content.delete',
      'profiles.read',
      'messages.content',
    ],
    labels: ['*'],
    builtIn: true,
  },
  {
    name: 'audience-manager',
    title: 'Audience manager',
    description: 'Builds and runs audiences, imports profiles.',
    permissions: [
      ...VIEW_ALL,
      'audiences.manage',
      'audiences.delete',
      'profiles.read',
      'profiles.manage',
    ],
    labels: ['*'],
    builtIn: true,
  },
  {
    name: 'viewer',
    title: 'Viewer',
    description:
      'Reads journeys, reports and objects; no personal data, no message content, changes nothing.',
    permissions: [...VIEW_ALL],
    labels: ['*'],
    builtIn: true,
  },
  {
    name: 'data-ingest',
    title: 'Data ingest',
    description: 'Sends events, nothing else (for pipelines).',
    permissions: ['events.ingest'],
    labels: [],
    builtIn: true,
  },
];

export const builtInRole = (name: string): RoleDefinition | undefined =>
  BUILT_IN_ROLES.find((r) => r.name === name);
