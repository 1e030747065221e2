// The services behind access control (src/runtime/access/): the directory of people, roles and
// API keys; the sandbox registry; the audit log; approvals. Ports the API and CLI use; each has
// one implementation over the Store (both SQLite and PostgreSQL).
import type { AssistantOverrides } from '../assistant/sandbox-defaults.ts';
import type { Decider } from '../../access/approval-decision.ts';
import type {
  ApiKeyCreated,
  ApiKeyView,
  ApprovalView,
  AuditChange,
  AuditEntry,
  RoleAssignment,
  SandboxSettings,
  SandboxView,
  UserView,
} from '../../access/api-types.ts';
import type { Actor, Principal } from '../../access/policy.ts';
import type { RoleDefinition } from '../../access/roles.ts';

/** Why a presented credential is refused (401 with this reason). */
export type CredentialRefusal = 'unknown' | 'revoked' | 'expired' | 'disabled';

export interface Directory {
  /** The principal behind an API key as presented (`wmk_…`); looked up by hash each time, so a revocation holds at once. */
  principalForKey(
    presented: string,
  ): Promise<{ principal: Principal; keyId: string } | { refused: CredentialRefusal }>;
  /** The principal of a stored key by id (a console session opened with a key re-reads it each request). */
  principalForKeyId(keyId: string): Promise<Principal | { refused: CredentialRefusal }>;
  /** The principal of a user (each request: role changes and disabling hold at once); `epoch` is the session's sign-out generation. */
  principalForUser(
    userId: string,
    epoch: number,
  ): Promise<Principal | { refused: CredentialRefusal | 'signed-out' }>;
  /** Email and password; null when either is wrong (one message for both). Returns the user's sign-out epoch. */
  verifyPassword(
    email: string,
    password: string,
  ): Promise<{ userId: string; epoch: number } | null>;
  /** Ends every session of the user (sign-out everywhere): bumps the epoch. */
  signOutEverywhere(userId: string): Promise<void>;

  listUsers(): Promise<UserView[]>;
  getUser(id: string): Promise<UserView>;
  /** Creates an invited user and returns the one-time acceptance token (sent by email by the caller). */
  inviteUser(
    input: { email: string; name?: string; roles: readonly RoleAssignment[] },
    by: Actor,
  ): Promise<{ user: UserView; token: string }>;
  /** Creates an active user with a password (first start, demo users, CLI). */
  createUser(
    input: { email: string; name?: string; password: string; roles: readonly RoleAssignment[] },
    by: Actor,
  ): Promise<UserView>;
  updateUser(
    id: string,
    patch: { name?: string; roles?: readonly RoleAssignment[]; status?: 'active' | 'disabled' },
    by: Actor,
  ): Promise<UserView>;
  deleteUser(id: string, by: Actor): Promise<void>;
  acceptInvitation(token: string, password: string): Promise<UserView>;
  /** A one-time reset token for the user with this email, or null when there is none (the route answers the same either way). */
  requestPasswordReset(email: string): Promise<{ user: UserView; token: string } | null>;
  completePasswordReset(token: string, password: string): Promise<UserView>;
  /**
   * Single sign-on: finds or creates the user of an OpenID Connect identity, with roles from its groups.
   * Answers the user's sign-out `epoch` too (the session is opened in it); without it 0 is assumed.
   */
  upsertSsoUser(input: {
    issuer: string;
    subject: string;
    email: string;
    name?: string;
    roles: readonly RoleAssignment[];
  }): Promise<UserView & { readonly epoch?: number }>;

  listRoles(): Promise<RoleDefinition[]>;
  getRole(name: string): Promise<RoleDefinition>;
  putRole(role: Omit<RoleDefinition, 'builtIn'>, by: Actor): Promise<RoleDefinition>;
  deleteRole(name: string, by: Actor): Promise<void>;

  listKeys(): Promise<ApiKeyView[]>;
  createKey(
    input: { name: string; role: string; sandboxes: readonly string[]; expiresAt?: string | null },
    by: Actor,
  ): Promise<ApiKeyCreated>;
  revokeKey(id: string, by: Actor): Promise<ApiKeyView>;
  /** A successor with the same name, role and sandboxes; the old key keeps working for `overlapSeconds` (default 24 h). */
  rotateKey(id: string, overlapSeconds: number | undefined, by: Actor): Promise<ApiKeyCreated>;
}

export interface SandboxRegistry {
  list(): Promise<SandboxView[]>;
  get(name: string): Promise<SandboxView>;
  /** Cached: called on every request. 'prod' always exists. */
  exists(name: string): Promise<boolean>;
  create(
    input: { name: string; title?: string; type: 'production' | 'development' },
    by: Actor,
  ): Promise<SandboxView>;
  /** Empties the sandbox (objects, journeys, profiles, events, messages, everything); keeps its name and settings. Refused for production unless `confirm` is its name. */
  reset(name: string, confirm: string, by: Actor): Promise<void>;
  delete(name: string, confirm: string, by: Actor): Promise<void>;
  settings(name: string): Promise<SandboxSettings>;
  putSettings(name: string, settings: SandboxSettings, by: Actor): Promise<SandboxView>;
  /** The Assistant settings changed in the sandbox (absent keys follow the server's defaults); {} for an unknown sandbox. */
  assistantOverrides(name: string): Promise<AssistantOverrides>;
}

export interface AuditQuery {
  readonly sandbox?: string;
  /** `kind:key` or a key. */
  readonly object?: string;
  /** An actor id or name (email, key name). */
  readonly actor?: string;
  readonly action?: string;
  readonly since?: number;
  readonly until?: number;
  readonly limit: number;
  /** The id of the last entry of the previous page (newest first). */
  readonly before?: string;
}

export interface AuditLog {
  record(entry: {
    sandbox: string | null;
    actor: Actor;
    action: string;
    object: AuditEntry['object'];
    changes?: readonly AuditChange[];
    details?: Record<string, unknown>;
  }): Promise<void>;
  query(q: AuditQuery): Promise<{ items: AuditEntry[]; next: string | null }>;
  /** Deletes entries older than `before` (retention); returns how many. */
  purge(before: number): Promise<number>;
}

export interface Approvals {
  /** Whether publishing journeys in the sandbox needs an approval (its settings). */
  required(sandbox: string): Promise<boolean>;
  request(
    sandbox: string,
    journeyId: string,
    version: number,
    comment: string | null,
    by: Actor,
  ): Promise<ApprovalView>;
  /**
   * Approves and publishes; refused when `by` is the requester, is not one of the approvers the
   * request names, or lacks journeys.publish (the route checks the permission).
   */
  approve(sandbox: string, id: string, comment: string | null, by: Decider): Promise<ApprovalView>;
  /** Rejects with a comment; the same deciders as approve. */
  reject(sandbox: string, id: string, comment: string | null, by: Decider): Promise<ApprovalView>;
  cancel(sandbox: string, id: string, by: Actor): Promise<ApprovalView>;
  list(
    sandbox: string,
    filter: { status?: ApprovalView['status']; journeyId?: string },
  ): Promise<ApprovalView[]>;
  /** The pending request of a journey version, if any (drafts in review are locked). */
  pendingFor(sandbox: string, journeyId: string, version: number): Promise<ApprovalView | null>;
}
