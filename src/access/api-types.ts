// What the access-control routes answer: shared by the server and the console (ui/ imports these).
import type { Answer } from '../shared/schema-types.ts';
import type {
  apiKeyCreatedSchema,
  approvalNotificationsAnswer,
  approvalViewSchema,
  auditChangeSchema,
  auditEntrySchema,
  apiKeyViewSchema,
  allowedHostsAnswer,
  invitationAnswer,
  labelsAnswer,
  meViewSchema,
  roleAssignmentSchema,
  roleViewSchema,
  sandboxSettingsSchema,
  searchHitSchema,
  sandboxViewSchema,
  userViewSchema,
} from './api-schemas.ts';
import type { Actor } from './policy.ts';

export type { Actor } from './policy.ts';

export type { Answer, Body } from '../shared/schema-types.ts';

// Inferred from the schemas the answers are checked against (api-schemas.ts), not written by hand.
/** A role held in some sandboxes (['*'] for all). */
export type RoleAssignment = Answer<typeof roleAssignmentSchema>;
export type UserView = Answer<typeof userViewSchema>;
export type RoleView = Answer<typeof roleViewSchema>;
export type ApiKeyView = Answer<typeof apiKeyViewSchema>;
/** POST /v1/api-keys and rotate: the key, once. */
export type ApiKeyCreated = Answer<typeof apiKeyCreatedSchema>;
export type SandboxSettings = Answer<typeof sandboxSettingsSchema>;
export type SandboxView = Answer<typeof sandboxViewSchema>;
/** GET /v1/me: the caller, what it may do in the request's sandbox, and where it may go. */
export type MeView = Answer<typeof meViewSchema>;

/** One audited change, secrets redacted. */
export type AuditChange = Answer<typeof auditChangeSchema>;
export type AuditEntry = Answer<typeof auditEntrySchema>;
/** A request to publish a journey version, and its decision. */
export type ApprovalView = Answer<typeof approvalViewSchema>;
/** GET /v1/approvals/notifications. */
export type ApprovalNotifications = Answer<typeof approvalNotificationsAnswer>;
/** One quick-search result. */
export type SearchHit = Answer<typeof searchHitSchema>;
/** POST /v1/users/invitations: the user, and the link when no email carried it. */
export type Invitation = Answer<typeof invitationAnswer>;
/** GET /v1/labels. */
export type LabelsView = Answer<typeof labelsAnswer>;
/** The hosts a sandbox may connect to: the operator's and its own. */
export type AllowedHosts = Answer<typeof allowedHostsAnswer>;
