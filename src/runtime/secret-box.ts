// Secrets at rest: channel configurations and custom actions are stored with their secret fields
// encrypted (AES-256-GCM with the newest key of the keyring), shown redacted in every answer and
// export, and decrypted only where a channel or an action is called. A redacted value sent back
// means "keep", but only while the secret's destination is unchanged (secret-destinations.ts).
import { isDeepStrictEqual } from 'node:util';
import {
  decryptSecret,
  encryptSecret,
  generateSecretKey,
  isEncrypted,
  keyring,
  mapSecretPaths,
  redact,
  REDACTED,
  secretKeyId,
  type Keyring,
  type SecretKey,
} from '../channels/secrets.ts';
import { ErrorCode, WaymarkError, type ErrorIssue } from '../errors.ts';
import { channelSecretPaths, type ChannelConfiguration } from '../model/channel-configuration.ts';
import { customActionSecretPaths } from '../model/custom-action.ts';
import { webhookSecretPaths } from '../model/webhook.ts';
import { readPath } from './paths.ts';
import { changedDestinations } from './secret-destinations.ts';

type Body = Record<string, unknown>;

/** The kinds of object that hold secrets. */
export const SECRET_KINDS = ['action', 'channelConfiguration', 'webhook'] as const;

function secretPaths(kind: string, body: Body): readonly string[] | null {
  if (kind === 'channelConfiguration')
    return channelSecretPaths[(body as unknown as ChannelConfiguration).channel] ?? [];
  if (kind === 'action') return customActionSecretPaths;
  if (kind === 'webhook') return webhookSecretPaths;
  return null;
}

const contextOf = (kind: string, body: Body): string =>
  kind === 'channelConfiguration'
    ? `channel-configuration/${String(body.channel)}`
    : kind === 'webhook'
      ? 'webhook'
      : `custom-action`;
const titleOf = (kind: string): string =>
  kind === 'channelConfiguration'
    ? 'channel configuration'
    : kind === 'webhook'
      ? 'webhook subscription'
      : 'custom action';

/** A secret field that cannot be decrypted with the keyring. */
export interface UnreadableSecret {
  readonly path: string;
  readonly keyId: string | null;
  readonly message: string;
}

export class SecretBox {
  private readonly ring: Keyring;

  constructor(key: SecretKey = generateSecretKey()) {
    this.ring = key instanceof Uint8Array ? keyring([key]) : key;
  }

  /** The id of the key that encrypts new secrets. */
  get currentKeyId(): string {
    return this.ring.keys[0]!.id;
  }

  /**
   * The stored form: secrets encrypted; a "[redacted]" placeholder takes the stored value, if the
   * secret's destination is unchanged and the stored value can still be decrypted (else 422).
   */
  seal(kind: string, body: Body, stored: Body | null): Body {
    const paths = secretPaths(kind, body);
    if (!paths) return body;
    const issues: ErrorIssue[] = [];
    let kept = body;
    for (const root of paths) {
      kept = mapSecretPaths(kept, [root], (v, p) => {
        if (v !== REDACTED) return v;
        const previous = stored ? readPath(stored, p) : undefined;
        const changed = stored ? changedDestinations(kind, root, stored, body) : [];
        if (changed.length > 0) {
          issues.push({
            path: p,
            message: `the destination changed (${changed.join(', ')}), so the secret must be sent again`,
            expected: 'the secret itself',
            received: JSON.stringify(REDACTED),
          });
        } else if (stored && isEncrypted(previous) && this.unreadable(previous, kind, stored, p)) {
          issues.push({
            path: p,
            message:
              'the stored secret cannot be decrypted with the keys of the keyring, so it must be sent again',
            expected: 'the secret itself',
            received: JSON.stringify(REDACTED),
          });
        }
        return typeof previous === 'string' ? previous : v;
      });
    }
    if (issues.length > 0) {
      throw new WaymarkError(
        ErrorCode.SecretRequired,
        `the ${titleOf(kind)} cannot keep a stored secret: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        { issues },
      );
    }
    // A placeholder with no stored secret behind it (an object imported from a package) stays a
    // plain "[redacted]": the object needs a secret, and open() refuses it until one is sent.
    const context = contextOf(kind, body);
    return mapSecretPaths(kept, paths, (v, p) =>
      v === REDACTED || isEncrypted(v) ? v : encryptSecret(v, this.ring, `${context}#${p}`),
    );
  }

  /** The secret fields still waiting for a secret ("[redacted]" stored, from a package). */
  needsSecret(kind: string, body: Body): string[] {
    const paths = secretPaths(kind, body);
    const found: string[] = [];
    if (paths)
      mapSecretPaths(body, paths, (v, p) => {
        if (v === REDACTED) found.push(p);
        return v;
      });
    return found;
  }

  private unreadable(
    value: string,
    kind: string,
    body: Body,
    path: string,
  ): UnreadableSecret | null {
    try {
      decryptSecret(value, this.ring, `${contextOf(kind, body)}#${path}`);
      return null;
    } catch (e) {
      return { path, keyId: secretKeyId(value), message: (e as Error).message };
    }
  }

  /** The secret fields of a stored body that the keyring cannot decrypt (none: the object is usable). */
  check(kind: string, body: Body): UnreadableSecret[] {
    const paths = secretPaths(kind, body);
    const found: UnreadableSecret[] = [];
    if (!paths) return found;
    mapSecretPaths(body, paths, (v, p) => {
      const problem = isEncrypted(v) ? this.unreadable(v, kind, body, p) : null;
      if (problem) found.push(problem);
      return v;
    });
    return found;
  }

  /**
   * The usable form, for the code that calls the provider. A secret that cannot be decrypted (its
   * key left the keyring) fails with an error naming the object and the field, never a bare 500.
   */
  open<T>(kind: string, body: T, sandbox?: string): T {
    return this.plain(kind, body, sandbox, false);
  }

  /** `keepMissing`: a secret still needed stays "[redacted]" (comparisons), else it is refused (use). */
  private plain<T>(kind: string, body: T, sandbox: string | undefined, keepMissing: boolean): T {
    const b = body as Body;
    const paths = secretPaths(kind, b);
    if (!paths) return body;
    return mapSecretPaths(body, paths, (v, p) => {
      if (v === REDACTED && !keepMissing) {
        const name = String(b.name);
        throw new WaymarkError(
          ErrorCode.SecretRequired,
          `the ${titleOf(kind)} "${name}"${sandbox === undefined ? '' : ` in sandbox "${sandbox}"`} needs a secret: ${p} came redacted from a package; send the ${titleOf(kind)} again with the secret (PUT)`,
          {
            details: {
              kind,
              name,
              ...(sandbox === undefined ? {} : { sandbox }),
              path: p,
              needsSecret: true,
            },
          },
        );
      }
      if (!isEncrypted(v)) return v;
      try {
        return decryptSecret(v, this.ring, `${contextOf(kind, b)}#${p}`);
      } catch (e) {
        const name = String(b.name);
        throw new WaymarkError(
          ErrorCode.SecretRequired,
          `the secret ${p} of the ${titleOf(kind)} "${name}"${sandbox === undefined ? '' : ` in sandbox "${sandbox}"`} cannot be used: ${(e as Error).message}; send the ${titleOf(kind)} again with the secret (PUT) to repair it`,
          {
            details: {
              kind,
              name,
              ...(sandbox === undefined ? {} : { sandbox }),
              path: p,
              keyId: secretKeyId(v),
            },
          },
        );
      }
    });
  }

  /** True when both stored bodies mean the same (secrets compared decrypted); false if either cannot be decrypted. */
  same(kind: string, a: Body, b: Body): boolean {
    try {
      return isDeepStrictEqual(
        this.plain(kind, a, undefined, true),
        this.plain(kind, b, undefined, true),
      );
    } catch {
      return false;
    }
  }

  /** The stored body with every secret encrypted by the newest key; `changed` when any was not. Throws if one cannot be decrypted. */
  reseal(kind: string, body: Body, sandbox?: string): { body: Body; changed: boolean } {
    const paths = secretPaths(kind, body);
    if (!paths) return { body, changed: false };
    let changed = false;
    const current = this.currentKeyId;
    const plain = this.plain(kind, body, sandbox, true);
    const next = mapSecretPaths(body, paths, (v, p) => {
      if (v === REDACTED || (isEncrypted(v) && secretKeyId(v) === current)) return v;
      changed = true;
      return encryptSecret(
        readPath(plain, p) as string,
        this.ring,
        `${contextOf(kind, body)}#${p}`,
      );
    });
    return { body: next, changed };
  }

  /** What answers, exports and logs show. */
  redact<T>(kind: string, body: T): T {
    const paths = secretPaths(kind, body as Body);
    return paths ? redact(body, paths) : body;
  }

  isSealed(value: unknown): boolean {
    return isEncrypted(value);
  }
}
