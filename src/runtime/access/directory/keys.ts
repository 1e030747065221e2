// API keys: stored under the hex SHA-256 of the key, so the key a request presents is found with one
// indexed read and nothing is cached (a revocation holds on the next request). The key itself is
// answered once, when created or rotated.
import type { ApiKeyCreated, ApiKeyView } from '../../../access/api-types.ts';
import type { Actor, Principal } from '../../../access/policy.ts';
import { ErrorCode, notFound, WaymarkError } from '../../../errors.ts';
import type { CredentialRefusal } from '../contracts.ts';
import { KIND, keyView, type KeyRecord } from './records.ts';
import type { RoleStore } from './roles.ts';
import { keyPrefix, newApiKey, newId, sha256Hex } from './secrets.ts';
import { update, type Space } from './space.ts';

export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;
/** lastUsedAt is written at most this often per key: a busy key does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

export function keyStore(space: Space, roles: RoleStore) {
  const byId = async (id: string): Promise<{ body: KeyRecord; revision: number } | null> => {
    const ref = await space.get<{ hash: string }>(KIND.apiKeyId, id);
    return ref === null ? null : space.get<KeyRecord>(KIND.apiKey, ref.body.hash);
  };
  const mustGet = async (id: string): Promise<KeyRecord> => {
    const k = await byId(id);
    if (!k) throw notFound('API key', id);
    return k.body;
  };
  const change = (id: string, fn: (k: KeyRecord) => KeyRecord) => async (): Promise<KeyRecord> => {
    const k = await mustGet(id);
    return update<KeyRecord>(space, KIND.apiKey, k.hash, fn, () => notFound('API key', id));
  };

  const refusal = (k: KeyRecord): CredentialRefusal | null => {
    if (k.revokedAt !== null) return 'revoked';
    if (k.expiresAt !== null && Date.parse(k.expiresAt) <= space.clock.now()) return 'expired';
    return null;
  };

  async function principal(k: KeyRecord): Promise<Principal> {
    const role = await roles.find(k.role);
    return {
      actor: { kind: 'key', id: k.id, name: k.name },
      grants: role ? [{ role, sandboxes: k.sandboxes }] : [],
    };
  }

  async function mint(
    input: { name: string; role: string; sandboxes: readonly string[]; expiresAt: string | null },
    by: Actor,
  ): Promise<ApiKeyCreated> {
    const key = newApiKey();
    const hash = sha256Hex(key);
    const record: KeyRecord = {
      id: newId('key'),
      hash,
      name: input.name,
      prefix: keyPrefix(key),
      role: input.role,
      sandboxes: [...input.sandboxes],
      createdBy: by,
      createdAt: space.nowIso(),
      expiresAt: input.expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      rotatedTo: null,
    };
    await space.put(KIND.apiKey, hash, record);
    await space.put(KIND.apiKeyId, record.id, { hash });
    return { ...keyView(record), key };
  }

  return {
    async principalForKey(
      presented: string,
    ): Promise<{ principal: Principal; keyId: string } | { refused: CredentialRefusal }> {
      const found = await space.get<KeyRecord>(KIND.apiKey, sha256Hex(presented));
      if (!found) return { refused: 'unknown' };
      const k = found.body;
      const refused = refusal(k);
      if (refused) return { refused };
      const now = space.clock.now();
      if (k.lastUsedAt === null || now - Date.parse(k.lastUsedAt) >= LAST_USED_EVERY_MS) {
        // Best effort: a concurrent write (another request, a revocation) wins and this one is dropped.
        await space
          .replace(KIND.apiKey, k.hash, found.revision, {
            ...k,
            lastUsedAt: new Date(now).toISOString(),
          })
          .catch(() => false);
      }
      return { principal: await principal(k), keyId: k.id };
    },
    async principalForKeyId(id: string): Promise<Principal | { refused: CredentialRefusal }> {
      const k = await byId(id);
      if (!k) return { refused: 'unknown' };
      const refused = refusal(k.body);
      return refused ? { refused } : principal(k.body);
    },
    async list(): Promise<ApiKeyView[]> {
      const all = await space.list<KeyRecord>(KIND.apiKey);
      return all
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
        .map(keyView);
    },
    async get(id: string): Promise<ApiKeyView> {
      return keyView(await mustGet(id));
    },
    async create(
      input: {
        name: string;
        role: string;
        sandboxes: readonly string[];
        expiresAt?: string | null;
      },
      by: Actor,
    ): Promise<ApiKeyCreated> {
      const name = input.name.trim();
      if (name.length === 0)
        throw new WaymarkError(ErrorCode.ValidationFailed, 'the API key needs a name', {
          issues: [{ path: 'body.name', message: 'a name', expected: 'text', received: '""' }],
        });
      if (!(await roles.find(input.role)))
        throw new WaymarkError(ErrorCode.ValidationFailed, `there is no role "${input.role}"`, {
          issues: [
            {
              path: 'body.role',
              message: 'an existing role (GET /v1/roles)',
              expected: 'a role name',
              received: input.role,
            },
          ],
        });
      if (input.sandboxes.length === 0)
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          'the API key needs at least one sandbox (or * for all)',
          {
            issues: [
              {
                path: 'body.sandboxes',
                message: 'at least one sandbox',
                expected: 'a sandbox name or *',
                received: '[]',
              },
            ],
          },
        );
      const expiresAt = input.expiresAt ?? null;
      if (
        expiresAt !== null &&
        (Number.isNaN(Date.parse(expiresAt)) || Date.parse(expiresAt) <= space.clock.now())
      ) {
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          'the expiry must be a date in the future',
          {
            issues: [
              {
                path: 'body.expiresAt',
                message: 'a date-time in the future',
                expected: 'ISO 8601 date-time',
                received: expiresAt,
              },
            ],
          },
        );
      }
      return mint(
        {
          name,
          role: input.role,
          sandboxes: input.sandboxes,
          expiresAt: expiresAt === null ? null : new Date(Date.parse(expiresAt)).toISOString(),
        },
        by,
      );
    },
    async revoke(id: string, _by: Actor): Promise<ApiKeyView> {
      const k = await change(id, (k) =>
        k.revokedAt !== null ? k : { ...k, revokedAt: space.nowIso() },
      )();
      return keyView(k);
    },
    async rotate(
      id: string,
      overlapSeconds: number | undefined,
      by: Actor,
    ): Promise<ApiKeyCreated> {
      const old = await mustGet(id);
      const refused = refusal(old);
      if (refused)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `the API key "${old.name}" is ${refused}: it cannot be rotated`,
          { details: { id, state: refused } },
        );
      if (old.rotatedTo !== null)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `the API key "${old.name}" was already rotated (its successor is ${old.rotatedTo})`,
          { details: { id, rotatedTo: old.rotatedTo } },
        );
      const overlap = overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
      if (!Number.isInteger(overlap) || overlap < 0 || overlap > 90 * 24 * 3600)
        throw new WaymarkError(
          ErrorCode.ValidationFailed,
          'the overlap must be from 0 seconds to 90 days',
          {
            issues: [
              {
                path: 'body.overlapSeconds',
                message: 'an integer from 0 to 7776000',
                expected: '0..7776000',
                received: String(overlapSeconds),
              },
            ],
          },
        );
      const successor = await mint(
        { name: old.name, role: old.role, sandboxes: old.sandboxes, expiresAt: old.expiresAt },
        by,
      );
      const until = space.clock.now() + overlap * 1000;
      await change(id, (k) => ({
        ...k,
        rotatedTo: successor.id,
        expiresAt:
          k.expiresAt !== null && Date.parse(k.expiresAt) < until
            ? k.expiresAt
            : new Date(until).toISOString(),
      }))();
      return successor;
    },
  };
}
