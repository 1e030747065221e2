// People: email (unique, case-insensitive) and an argon2id password, invited until they accept, a
// sign-out epoch for "sign out everywhere", roles per sandbox. Invitation (7 days) and reset (1 hour)
// tokens are random, kept only as hashes, and used once.
import type { RoleAssignment, UserView } from '../../../access/api-types.ts';
import type { Actor, Principal } from '../../../access/policy.ts';
import type { RoleDefinition } from '../../../access/roles.ts';
import { ErrorCode, notFound, WaymarkError } from '../../../errors.ts';
import type { CredentialRefusal } from '../contracts.ts';
import { KIND, userView, type TokenRecord, type UserRecord } from './records.ts';
import type { RoleStore } from './roles.ts';
import {
  checkPassword,
  hashPassword,
  newId,
  newToken,
  sha256Hex,
  verifyPasswordHash,
} from './secrets.ts';
import { update, type Space } from './space.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 3600_000;

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const normal = (email: string): string => email.trim().toLowerCase();

function checkEmail(email: string): string {
  const e = email.trim();
  if (!EMAIL.test(e) || e.length > 254)
    throw new WaymarkError(ErrorCode.ValidationFailed, 'the email address is invalid', {
      issues: [
        {
          path: 'body.email',
          message: 'an email address',
          expected: 'name@domain',
          received: email,
        },
      ],
    });
  return e;
}

export function userStore(space: Space, roles: RoleStore) {
  const users = () => space.list<UserRecord>(KIND.user);
  const byEmail = async (email: string): Promise<UserRecord | undefined> =>
    (await users()).find((u) => normal(u.email) === normal(email));
  const mustGet = async (id: string): Promise<UserRecord> => {
    const u = await space.get<UserRecord>(KIND.user, id);
    if (!u) throw notFound('user', id);
    return u.body;
  };
  const change = (id: string, fn: (u: UserRecord) => UserRecord): Promise<UserRecord> =>
    update<UserRecord>(
      space,
      KIND.user,
      id,
      (u) => ({ ...fn(u), updatedAt: space.nowIso() }),
      () => notFound('user', id),
    );

  async function checkRoles(assignments: readonly RoleAssignment[]): Promise<void> {
    for (const [i, a] of assignments.entries()) {
      if (!(await roles.find(a.role)))
        throw new WaymarkError(ErrorCode.ValidationFailed, `there is no role "${a.role}"`, {
          issues: [
            {
              path: `body.roles.${i}.role`,
              message: 'an existing role (GET /v1/roles)',
              expected: 'a role name',
              received: a.role,
            },
          ],
        });
      if (a.sandboxes.length === 0)
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          `the role "${a.role}" needs at least one sandbox (or * for all)`,
          {
            issues: [
              {
                path: `body.roles.${i}.sandboxes`,
                message: 'at least one sandbox',
                expected: 'a sandbox name or *',
                received: '[]',
              },
            ],
          },
        );
    }
  }

  async function insert(
    input: { email: string; name?: string; roles: readonly RoleAssignment[] },
    status: UserRecord['status'],
    passwordHash: string | null,
    by: Actor,
    sso: UserRecord['sso'] = null,
  ): Promise<UserRecord> {
    const email = checkEmail(input.email);
    await checkRoles(input.roles);
    const existing = await byEmail(email);
    if (existing)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `a user with the email ${existing.email} exists already`,
        { details: { id: existing.id } },
      );
    const now = space.nowIso();
    const record: UserRecord = {
      id: newId('usr'),
      email,
      name: input.name?.trim() || email.split('@')[0]!,
      status,
      roles: input.roles.map((r) => ({ role: r.role, sandboxes: [...r.sandboxes] })),
      passwordHash,
      epoch: 0,
      sso,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
    };
    await space.put(KIND.user, record.id, record);
    return record;
  }

  async function issueToken(
    kind: typeof KIND.invitation | typeof KIND.resetToken,
    userId: string,
    ttlMs: number,
  ): Promise<string> {
    const token = newToken();
    const hash = sha256Hex(token);
    await space.put<TokenRecord>(kind, hash, {
      hash,
      userId,
      expiresAt: new Date(space.clock.now() + ttlMs).toISOString(),
    });
    return token;
  }

  /**
   * Takes a token once: `check` runs first (a refused password leaves the link usable), then the
   * token is deleted, and only the request that deleted it goes on.
   */
  async function takeToken(
    kind: typeof KIND.invitation | typeof KIND.resetToken,
    token: string,
    what: string,
    check: (u: UserRecord) => void,
  ): Promise<UserRecord> {
    const key = sha256Hex(token);
    const invalid = new WaymarkError(
      ErrorCode.BadRequest,
      `this ${what} link is not valid: it was used already, has expired, or was replaced by a newer one`,
      { details: { code: 'invalid_token' } },
    );
    const t = await space.get<TokenRecord>(kind, key);
    if (!t || Date.parse(t.body.expiresAt) <= space.clock.now()) throw invalid;
    const u = await space.get<UserRecord>(KIND.user, t.body.userId);
    if (!u) throw invalid;
    check(u.body);
    if (!(await space.remove(kind, key))) throw invalid;
    return u.body;
  }

  /** A new invitation or reset replaces the user's older ones; deleting the user removes them all. */
  async function dropTokens(
    kind: typeof KIND.invitation | typeof KIND.resetToken,
    userId: string,
  ): Promise<void> {
    for (const t of await space.list<TokenRecord>(kind))
      if (t.userId === userId) await space.remove(kind, t.hash);
  }

  async function grantsOf(u: UserRecord): Promise<Principal['grants']> {
    const out: Array<{ role: RoleDefinition; sandboxes: readonly string[] }> = [];
    for (const a of u.roles) {
      const role = await roles.find(a.role);
      if (role) out.push({ role, sandboxes: a.sandboxes });
    }
    return out;
  }

  return {
    async principalForUser(
      userId: string,
      epoch: number,
    ): Promise<Principal | { refused: CredentialRefusal | 'signed-out' }> {
      const found = await space.get<UserRecord>(KIND.user, userId);
      if (!found) return { refused: 'unknown' };
      const u = found.body;
      if (u.status !== 'active') return { refused: 'disabled' };
      if (u.epoch !== epoch) return { refused: 'signed-out' };
      return { actor: { kind: 'user', id: u.id, name: u.email }, grants: await grantsOf(u) };
    },
    async verifyPassword(
      email: string,
      password: string,
    ): Promise<{ userId: string; epoch: number } | null> {
      const u = await byEmail(email);
      const usable = u !== undefined && u.status === 'active' && u.passwordHash !== null;
      const ok = await verifyPasswordHash(usable ? u.passwordHash : null, password);
      if (!ok || !usable) return null;
      const now = space.nowIso();
      await change(u.id, (x) => ({ ...x, lastSignInAt: now })).catch(() => undefined);
      return { userId: u.id, epoch: u.epoch };
    },
    async signOutEverywhere(userId: string): Promise<void> {
      await change(userId, (u) => ({ ...u, epoch: u.epoch + 1 }));
    },
    async list(): Promise<UserView[]> {
      return (await users()).sort((a, b) => a.email.localeCompare(b.email)).map(userView);
    },
    async get(id: string): Promise<UserView> {
      return userView(await mustGet(id));
    },
    async record(id: string): Promise<UserRecord> {
      return mustGet(id);
    },
    async invite(
      input: { email: string; name?: string; roles: readonly RoleAssignment[] },
      by: Actor,
    ): Promise<{ user: UserView; token: string }> {
      const existing = await byEmail(input.email);
      let user: UserRecord;
      if (existing?.status === 'invited') {
        // Inviting someone invited already sends a fresh link, with the roles given now; the older link stops working.
        await checkRoles(input.roles);
        user = await change(existing.id, (x) => ({
          ...x,
          roles: input.roles.map((r) => ({ role: r.role, sandboxes: [...r.sandboxes] })),
          name: input.name?.trim() || x.name,
        }));
      } else {
        user = await insert(input, 'invited', null, by);
      }
      await dropTokens(KIND.invitation, user.id);
      return {
        user: userView(user),
        token: await issueToken(KIND.invitation, user.id, INVITATION_TTL_MS),
      };
    },
    async create(
      input: { email: string; name?: string; password: string; roles: readonly RoleAssignment[] },
      by: Actor,
    ): Promise<UserView> {
      checkPassword(input.password, input.email);
      return userView(await insert(input, 'active', await hashPassword(input.password), by));
    },
    async update(
      id: string,
      patch: { name?: string; roles?: readonly RoleAssignment[]; status?: 'active' | 'disabled' },
      _by: Actor,
    ): Promise<UserView> {
      if (patch.roles) await checkRoles(patch.roles);
      const u = await change(id, (x) => {
        if (patch.status !== undefined && x.status === 'invited')
          throw new WaymarkError(
            ErrorCode.Conflict,
            `${x.email} has not accepted the invitation yet: delete the user instead`,
            { details: { id } },
          );
        return {
          ...x,
          ...(patch.name !== undefined ? { name: patch.name.trim() || x.name } : {}),
          ...(patch.roles !== undefined
            ? { roles: patch.roles.map((r) => ({ role: r.role, sandboxes: [...r.sandboxes] })) }
            : {}),
          // Disabling ends every session at once.
          ...(patch.status !== undefined
            ? {
                status: patch.status,
                epoch:
                  patch.status === 'disabled' && x.status !== 'disabled' ? x.epoch + 1 : x.epoch,
              }
            : {}),
        };
      });
      return userView(u);
    },
    async delete(id: string, _by: Actor): Promise<void> {
      await mustGet(id);
      await space.remove(KIND.user, id);
      await dropTokens(KIND.invitation, id);
      await dropTokens(KIND.resetToken, id);
    },
    async acceptInvitation(token: string, password: string): Promise<UserView> {
      const u = await takeToken(KIND.invitation, token, 'invitation', (x) => {
        if (x.status !== 'invited')
          throw new WaymarkError(
            ErrorCode.BadRequest,
            'this invitation was accepted already: sign in instead',
            { details: { code: 'invalid_token' } },
          );
        checkPassword(password, x.email);
      });
      const passwordHash = await hashPassword(password);
      return userView(await change(u.id, (x) => ({ ...x, status: 'active', passwordHash })));
    },
    async requestPasswordReset(email: string): Promise<{ user: UserView; token: string } | null> {
      const u = await byEmail(email);
      // Only people who sign in with a password can reset it (not invited, disabled or single sign-on users).
      if (!u || u.status !== 'active' || u.sso !== null) return null;
      await dropTokens(KIND.resetToken, u.id);
      return { user: userView(u), token: await issueToken(KIND.resetToken, u.id, RESET_TTL_MS) };
    },
    async completePasswordReset(token: string, password: string): Promise<UserView> {
      const u = await takeToken(KIND.resetToken, token, 'password reset', (x) => {
        if (x.status !== 'active')
          throw new WaymarkError(
            ErrorCode.BadRequest,
            'this account cannot sign in: ask an administrator',
            { details: { code: 'invalid_token' } },
          );
        checkPassword(password, x.email);
      });
      const passwordHash = await hashPassword(password);
      // A new password ends the sessions opened with the old one.
      return userView(await change(u.id, (x) => ({ ...x, passwordHash, epoch: x.epoch + 1 })));
    },
    async upsertSso(input: {
      issuer: string;
      subject: string;
      email: string;
      name?: string;
      roles: readonly RoleAssignment[];
    }): Promise<UserView & { epoch: number }> {
      const all = await users();
      const found =
        all.find((u) => u.sso?.issuer === input.issuer && u.sso.subject === input.subject) ??
        all.find((u) => normal(u.email) === normal(input.email));
      const roleList = input.roles.map((r) => ({ role: r.role, sandboxes: [...r.sandboxes] }));
      const withEpoch = (u: UserRecord): UserView & { epoch: number } => ({
        ...userView(u),
        epoch: u.epoch,
      });
      if (!found)
        return withEpoch(
          await insert(
            { ...input, roles: roleList },
            'active',
            null,
            { kind: 'system', id: 'system', name: 'single sign-on' },
            { issuer: input.issuer, subject: input.subject },
          ),
        );
      if (found.status === 'disabled') return withEpoch(found);
      const now = space.nowIso();
      return withEpoch(
        await change(found.id, (x) => ({
          ...x,
          status: 'active',
          roles: roleList,
          sso: { issuer: input.issuer, subject: input.subject },
          name: input.name?.trim() || x.name,
          lastSignInAt: now,
        })),
      );
    },
  };
}
