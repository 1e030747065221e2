// Each permission in words for the role editor: what it lets someone do, within its group's
// heading ("Journeys: Publish"), and a hint where the word alone does not say enough.
import type { Permission } from '@waymark/shared/access/permissions.ts';

export const PERMISSION_TEXT: Record<
  Permission,
  { readonly label: string; readonly help?: string }
> = {
  'journeys.view': { label: 'View', help: 'and their reports' },
  'journeys.manage': { label: 'Create and edit', help: 'drafts, test runs, approval requests' },
  'journeys.publish': {
    label: 'Publish',
    help: 'publish, pause, resume, stop, test mode, approve',
  },
  'journeys.delete': { label: 'Delete' },
  'campaigns.view': { label: 'View', help: 'and their reports and audience estimates' },
  'campaigns.manage': { label: 'Create and edit', help: 'drafts' },
  'campaigns.publish': { label: 'Activate and stop' },
  'campaigns.delete': { label: 'Delete', help: 'drafts' },
  'campaigns.trigger': { label: 'Trigger', help: "send an API-triggered campaign's messages" },
  'content.view': { label: 'View', help: 'templates, fragments, assets, translations' },
  'content.manage': { label: 'Create and edit', help: 'also proofs and previews' },
  'content.delete': { label: 'Delete' },
  'audiences.view': { label: 'View' },
  'audiences.manage': { label: 'Create, edit and run' },
  'audiences.delete': { label: 'Delete' },
  'schemas.view': { label: 'View' },
  'schemas.manage': { label: 'Create and edit' },
  'schemas.delete': { label: 'Delete' },
  'actions.view': { label: 'View' },
  'actions.manage': { label: 'Create and edit' },
  'actions.delete': { label: 'Delete' },
  'channels.view': { label: 'View' },
  'channels.manage': { label: 'Create and edit' },
  'channels.delete': { label: 'Delete' },
  'rules.view': { label: 'View' },
  'rules.manage': { label: 'Create and edit' },
  'rules.delete': { label: 'Delete' },
  'packages.export': { label: 'Export' },
  'packages.import': { label: 'Import and apply' },
  'events.ingest': { label: 'Send events' },
  'profiles.read': { label: 'Read profiles', help: 'personal data' },
  'profiles.manage': { label: 'Import and edit profiles' },
  'profiles.erase': { label: 'Erase profiles', help: 'privacy requests' },
  'messages.content': { label: 'Read sent messages', help: 'their content' },
  'users.manage': { label: 'Manage users' },
  'roles.manage': { label: 'Manage roles' },
  'keys.manage': { label: 'Manage API keys' },
  'sandboxes.manage': { label: 'Manage sandboxes', help: 'create, reset, delete' },
  'settings.manage': { label: 'Sandbox settings', help: 'approvals, retention, allowed hosts' },
  'audit.view': { label: 'View the audit log' },
};

export const permissionText = (p: Permission): string => PERMISSION_TEXT[p].label;
