// What the access-control routes answer: shared by the server and the console (ui/ imports these).
import type { Answer } from '../shared/schema-types.ts';
import type {
  apiKeyCreatedSchema,
  apiKeyViewSchema,
  meViewSchema,
  roleAssignmentSchema,
  roleViewSchema,
  sandboxSettingsSchema,
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

export interface AuditChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  /** null for changes outside any sandbox (users, roles, keys). */
  readonly sandbox: string | null;
  readonly actor: Actor;
  /** `<area>.<verb>`: 'object.create', 'journey.publish', 'key.revoke', 'sandbox.reset', 'profile.erase', ... */
  readonly action: string;
  readonly object: { readonly kind: string; readonly key: string; readonly name?: string } | null;
  /** What changed, secrets redacted. */
  readonly changes: readonly AuditChange[];
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ApprovalView {
  readonly id: string;
  readonly sandbox: string;
  readonly object: {
    readonly kind: 'journey';
    readonly id: string;
    readonly version: number;
    readonly name: string;
  };
  readonly status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  readonly requestedBy: Actor;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly decidedBy: Actor | null;
  readonly decidedAt: string | null;
  readonly decisionComment: string | null;
}

export interface SearchHit {
  readonly kind: string;
  /** What the kind is called on screen: 'Journey', 'Fragment', 'Profile', ... */
  readonly kindTitle: string;
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  /** The console page to jump to. */
  readonly path: string;
}
