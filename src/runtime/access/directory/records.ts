// What the directory stores in the object store's reserved `_access` space, and the views the API
// answers from it (never a password hash, a token or a key).
import type { ApiKeyView, RoleAssignment, UserView } from '../../../access/api-types.ts';
import type { Actor } from '../../../access/policy.ts';
import type { RoleDefinition } from '../../../access/roles.ts';

/** The reserved space: not a sandbox name (those are lowercase letters, digits and '-'), so no sandbox can reach it. */
export const ACCESS_SPACE = '_access';

export const KIND = {
  user: 'user',
  role: 'role',
  /** Object key: the hex SHA-256 of the key as presented. */
  apiKey: 'apiKey',
  /** Object key: the key's id; body: the hash, so a session opened with a key finds it again. */
  apiKeyId: 'apiKeyId',
  /** Object key: the hex SHA-256 of the one-time token. */
  invitation: 'invitation',
  resetToken: 'resetToken',
} as const;

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly status: 'invited' | 'active' | 'disabled';
  readonly roles: readonly RoleAssignment[];
  /** argon2id (PHC string); null until an invitation is accepted, and for single sign-on users. */
  readonly passwordHash: string | null;
  /** Sessions carry the epoch they were opened in; bumping it ends them all ("sign out everywhere"). */
  readonly epoch: number;
  readonly sso: { readonly issuer: string; readonly subject: string } | null;
  readonly createdBy: Actor;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSignInAt: string | null;
}

/** A role someone defined: a built-in one's fields without the flag. */
export type CustomRoleRecord = Omit<RoleDefinition, 'builtIn'>;

/** A key as the API shows it, plus what finds it: the hex SHA-256 of the key. */
export interface KeyRecord extends ApiKeyView {
  readonly hash: string;
}

/** An invitation or a password reset: one use, until `expiresAt`. */
export interface TokenRecord {
  /** The hex SHA-256 of the token (also the object's key). */
  readonly hash: string;
  readonly userId: string;
  readonly expiresAt: string;
}

export const userView = (u: UserRecord): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  status: u.status,
  roles: u.roles,
  sso: u.sso !== null,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  lastSignInAt: u.lastSignInAt,
});

export const keyView = (k: KeyRecord): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  sandboxes: k.sandboxes,
  createdBy: k.createdBy,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
  rotatedTo: k.rotatedTo,
});
