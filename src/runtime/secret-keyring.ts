// Where the keys for secrets at rest come from, newest first (the newest encrypts, all decrypt):
// - WAYMARK_SECRET_KEYS: comma-separated 64-hex-digit keys (nodes of one deployment share them);
// - WAYMARK_SECRET_KEY: one key (the form before keyrings);
// - else the data folder's `secret.key`: one hex key per line, `#` comments allowed, created with
//   one fresh key (mode 0600) on first start. `waymark secrets rotate --new-key` puts a key first.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecretKey, keyIdOf, keyring, type Keyring } from '../channels/secrets.ts';

export const KEYRING_FILE = 'secret.key';

export interface LoadedKeyring {
  readonly ring: Keyring;
  /** Where the keys came from: an environment variable's name, or the keyring file's path. */
  readonly source: string;
  /** The keyring file, when the keys came from it (only then can a command add a key). */
  readonly file: string | null;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

function parseKeys(text: string, where: string, separator: RegExp): Buffer[] {
  const keys: Buffer[] = [];
  text.split(separator).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (!/^[0-9a-fA-F]{64}$/.test(line))
      throw new KeyringError(
        `${where}: entry ${i + 1} is not a key: expected 64 hex digits (a 32-byte key, e.g. from: openssl rand -hex 32)`,
      );
    keys.push(Buffer.from(line, 'hex'));
  });
  if (keys.length === 0)
    throw new KeyringError(`${where} holds no key: expected 64 hex digits per key`);
  return keys;
}

/** The keyring of a server or a command: from the environment, else the data folder's file (created when missing). */
export function loadSecretKeyring(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedKeyring {
  const many = env['WAYMARK_SECRET_KEYS'];
  if (many !== undefined && many !== '')
    return {
      ring: keyring(parseKeys(many, 'WAYMARK_SECRET_KEYS', /,/)),
      source: 'WAYMARK_SECRET_KEYS',
      file: null,
    };
  const one = env['WAYMARK_SECRET_KEY'];
  if (one !== undefined && one !== '')
    return {
      ring: keyring(parseKeys(one, 'WAYMARK_SECRET_KEY', /,/)),
      source: 'WAYMARK_SECRET_KEY',
      file: null,
    };
  const file = join(dataDir, KEYRING_FILE);
  if (!existsSync(file))
    writeFileSync(file, `${generateSecretKey().toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return {
    ring: keyring(parseKeys(readFileSync(file, 'utf8'), file, /\r?\n/)),
    source: file,
    file,
  };
}

/** Writes the keyring file (newest first), replacing it in one step. */
export function writeKeyringFile(file: string, ring: Keyring): void {
  const text = `# Waymark keys for secrets at rest, newest first: the first encrypts, all decrypt.\n${ring.keys.map((k) => k.key.toString('hex')).join('\n')}\n`;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Adds a fresh key first in the ring (it will encrypt); the older keys keep decrypting. */
export function withNewKey(ring: Keyring): Keyring {
  return keyring([generateSecretKey(), ...ring.keys.map((k) => k.key)]);
}

/** Only the newest key (after every secret has been re-encrypted with it). */
export function newestOnly(ring: Keyring): Keyring {
  return keyring([ring.keys[0]!.key]);
}

export const describeKeyring = (ring: Keyring): string =>
  ring.keys.map((k, i) => `${k.id}${i === 0 ? ' (encrypts)' : ''}`).join(', ');
