// What the access-control routes answer: shared by the server and the console (ui/ imports these).
import type { Actor } from './policy.ts';
import type { Permission } from './permissions.ts';
import type { RoleDefinition } from './roles.ts';

export type { Actor } from './policy.ts';

/** A role held in some sandboxes (['*'] for all). */
export interface RoleAssignment { readonly role: string; readonly sandboxes: readonly string[] }

export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** 'invited' until the invitation is accepted; 'disabled' cannot sign in. */
  readonly status: 'invited' | 'active' | 'disabled';
  readonly roles: readonly RoleAssignment[];
  /** Signed in through single sign-on (its roles follow the identity provider's groups). */
  readonly sso: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSignInAt: string | null;
}

export interface RoleView extends RoleDefinition {
  /** How many users and keys hold it. */
  readonly holders: number;
}

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The key's first characters (`wmk_AbCd`), to recognise it; the key itself is never shown again. */
  readonly prefix: string;
  readonly role: string;
  readonly sandboxes: readonly string[];
  readonly createdBy: Actor;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** Set on a key that was rotated: its successor, and when this one stops working. */
  readonly rotatedTo: string | null;
}

/** POST /v1/api-keys and rotate: the key, once. */
export interface ApiKeyCreated extends ApiKeyView { readonly key: string }

export interface SandboxSettings {
  /** Experience events older than this many days are purged, hourly; null keeps them. */
  readonly retentionDays: number | null;
  /** Publishing a journey needs an approval by someone else with journeys.publish. */
  readonly approvals: { readonly journeyPublish: boolean };
}

export interface SandboxView {
  readonly name: string;
  readonly title: string;
  readonly type: 'production' | 'development';
  readonly createdAt: string;
  readonly createdBy: Actor;
  readonly settings: SandboxSettings;
}

export interface AuditChange { readonly path: string; readonly before?: unknown; readonly after?: unknown }

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
  readonly object: { readonly kind: 'journey'; readonly id: string; readonly version: number; readonly name: string };
  readonly status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  readonly requestedBy: Actor;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly decidedBy: Actor | null;
  readonly decidedAt: string | null;
  readonly decisionComment: string | null;
}

/** GET /v1/me: the caller, what it may do in the request's sandbox, and where it may go. */
export interface MeView {
  readonly actor: Actor;
  readonly via: 'key' | 'session';
  readonly sandbox: string;
  readonly sandboxes: ReadonlyArray<Pick<SandboxView, 'name' | 'title' | 'type'>>;
  readonly roles: readonly string[];
  readonly permissions: readonly Permission[];
  readonly labels: '*' | readonly string[];
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
