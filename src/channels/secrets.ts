import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChannelConfiguration } from '../model/channel-configuration.ts';
import { channelSecretPaths } from '../model/channel-configuration.ts';

// Secret fields at rest: AES-256-GCM, `enc:v2:<key id>:<iv>.<tag>.<ciphertext>` (base64url), each
// bound to its context and field path as additional authenticated data, so a ciphertext moved to
// another field or object fails to decrypt. Keys form a keyring (newest first): the newest
// encrypts, every key decrypts what it encrypted; a key's id is derived from the key itself. Values
// written before keyrings (`enc:v1:<iv>.<tag>.<ciphertext>`, no key id) open with whichever key of
// the ring made them. `redact()` is what API answers and logs get.

export const ENCRYPTED_PREFIX = 'enc:v2:';
const LEGACY_PREFIX = 'enc:v1:';
export const REDACTED = '[redacted]';

/** One 32-byte key, or a keyring. */
export type SecretKey = Uint8Array | Keyring;

export interface KeyringEntry {
  /** 16 hex digits of the key's SHA-256: names the key in every value it encrypts. */
  readonly id: string;
  readonly key: Buffer;
}

/** Keys, newest first: the first encrypts, all decrypt. */
export interface Keyring {
  readonly keys: readonly KeyringEntry[];
}

export function generateSecretKey(): Buffer {
  return randomBytes(32);
}

export const keyIdOf = (key: Uint8Array): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 16);

/** A keyring from keys given newest first (duplicates dropped). */
export function keyring(keys: readonly Uint8Array[]): Keyring {
  if (keys.length === 0) throw new Error('a keyring needs at least one key');
  const entries: KeyringEntry[] = [];
  for (const k of keys) {
    checkKey(k);
    const id = keyIdOf(k);
    if (!entries.some((e) => e.id === id)) entries.push({ id, key: Buffer.from(k) });
  }
  return { keys: entries };
}

const isKeyring = (k: SecretKey): k is Keyring => !(k instanceof Uint8Array);
const ringOf = (k: SecretKey): Keyring => (isKeyring(k) ? k : keyring([k]));

/** Reads the key file (hex), creating it (mode 0600) on first use. */
export function loadOrCreateSecretKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte hex key`);
    return key;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = generateSecretKey();
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function checkKey(key: Uint8Array): void {
  if (key.byteLength !== 32) throw new Error('the secret key must be 32 bytes');
}

export function isEncrypted(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    (value.startsWith(ENCRYPTED_PREFIX) || value.startsWith(LEGACY_PREFIX))
  );
}

/** The id of the key that encrypted `value`, or null for a value of the legacy format (no key id). */
export function secretKeyId(value: string): string | null {
  if (!value.startsWith(ENCRYPTED_PREFIX)) return null;
  const end = value.indexOf(':', ENCRYPTED_PREFIX.length);
  return end < 0 ? null : value.slice(ENCRYPTED_PREFIX.length, end);
}

/** A value that cannot be decrypted with the keyring: its key is not in the ring, or it was altered or moved. */
export class SecretDecryptError extends Error {
  constructor(
    message: string,
    readonly keyId: string | null,
  ) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

export function encryptSecret(plain: string, key: SecretKey, aad = ''): string {
  const newest = ringOf(key).keys[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', newest.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${ENCRYPTED_PREFIX}${newest.id}:${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

function openWith(key: Buffer, body: string, aad: string): string | null {
  const [iv, tag, ct] = body.split('.');
  if (iv === undefined || tag === undefined || ct === undefined)
    throw new SecretDecryptError('malformed encrypted value', null);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(ct, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}

export function decryptSecret(value: string, key: SecretKey, aad = ''): string {
  const ring = ringOf(key);
  if (!isEncrypted(value)) throw new Error('not an encrypted value');
  if (value.startsWith(LEGACY_PREFIX)) {
    for (const k of ring.keys) {
      const plain = openWith(k.key, value.slice(LEGACY_PREFIX.length), aad);
      if (plain !== null) return plain;
    }
    throw new SecretDecryptError(
      'cannot decrypt a secret: no key of the keyring opens it (a value of the older format, without key id), or the value was altered or moved',
      null,
    );
  }
  const kid = secretKeyId(value);
  const entry = ring.keys.find((k) => k.id === kid);
  if (kid === null || entry === undefined) {
    throw new SecretDecryptError(
      `cannot decrypt a secret: its key (id ${kid ?? 'missing'}) is not in the keyring`,
      kid,
    );
  }
  const plain = openWith(entry.key, value.slice(ENCRYPTED_PREFIX.length + kid.length + 1), aad);
  if (plain === null)
    throw new SecretDecryptError(
      `cannot decrypt a secret with key ${kid}: the value was altered or moved`,
      kid,
    );
  return plain;
}

type Leaf = (value: string, path: string) => string;

function mapLeaves(value: unknown, path: string, fn: Leaf): unknown {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((v, i) => mapLeaves(v, `${path}.${i}`, fn));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapLeaves(v, `${path}.${k}`, fn)]),
    );
  }
  return value;
}

/** A deep copy of `obj` with the string leaves at (and under) each dot path transformed. */
export function mapSecretPaths<T>(obj: T, paths: readonly string[], fn: Leaf): T {
  const copy = structuredClone(obj) as unknown;
  for (const path of paths) {
    const parts = path.split('.');
    let node: unknown = copy;
    for (const part of parts.slice(0, -1))
      node =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined;
    const last = parts[parts.length - 1] as string;
    if (typeof node !== 'object' || node === null || !(last in node)) continue;
    const holder = node as Record<string, unknown>;
    holder[last] = mapLeaves(holder[last], path, fn);
  }
  return copy as T;
}

/** Encrypts the secret fields (already-encrypted ones are kept). `context` binds them to their object. */
export function encryptSecrets<T>(
  obj: T,
  paths: readonly string[],
  key: SecretKey,
  context = '',
): T {
  return mapSecretPaths(obj, paths, (v, p) =>
    isEncrypted(v) ? v : encryptSecret(v, key, `${context}#${p}`),
  );
}

export function decryptSecrets<T>(
  obj: T,
  paths: readonly string[],
  key: SecretKey,
  context = '',
): T {
  return mapSecretPaths(obj, paths, (v, p) =>
    isEncrypted(v) ? decryptSecret(v, key, `${context}#${p}`) : v,
  );
}

/** Key names that hold secrets wherever they appear (exact, case-insensitive). */
const SECRET_KEYS = new Set([
  'password',
  'pass',
  'secret',
  'token',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'privatekey',
  'private_key',
  'p8key',
  'apikey',
  'api_key',
  'clientsecret',
  'client_secret',
  'authorization',
]);

/**
 * A copy safe for API answers and logs: the given secret paths and every field named like a
 * secret (password, token, privateKey, ...) become "[redacted]", as do encrypted values.
 */
export function redact<T>(obj: T, paths: readonly string[] = []): T {
  const masked = mapSecretPaths(obj, paths, () => REDACTED);
  const walk = (value: unknown): unknown => {
    if (isEncrypted(value)) return REDACTED;
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null && typeof v !== 'object'
            ? REDACTED
            : walk(v),
        ]),
      );
    }
    return value;
  };
  return walk(masked) as T;
}

// Bound to the kind of configuration and the field, not the name: renaming keeps secrets readable.
const contextOf = (c: ChannelConfiguration): string => `channel-configuration/${c.channel}`;

export function encryptChannelConfiguration<T extends ChannelConfiguration>(
  config: T,
  key: SecretKey,
): T {
  return encryptSecrets(config, channelSecretPaths[config.channel], key, contextOf(config));
}

export function decryptChannelConfiguration<T extends ChannelConfiguration>(
  config: T,
  key: SecretKey,
): T {
  return decryptSecrets(config, channelSecretPaths[config.channel], key, contextOf(config));
}

export function redactChannelConfiguration<T extends ChannelConfiguration>(config: T): T {
  return redact(config, channelSecretPaths[config.channel]);
}
