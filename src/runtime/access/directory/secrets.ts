// The directory's secrets: API keys and one-time tokens (random, kept only as SHA-256 hashes) and
// passwords (argon2id, the library's default algorithm and OWASP's parameters: 19 MiB, 2 passes).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ErrorCode, WaymarkError } from '../../../errors.ts';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `wmk_` and 32 base64url characters (192 random bits). */
export const newApiKey = (): string => `wmk_${randomBytes(24).toString('base64url')}`;

/** What lists show of a key to recognise it: `wmk_` and its first six characters. */
export const keyPrefix = (key: string): string => key.slice(0, 10);

/** Invitation and reset tokens: 256 random bits, URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const newId = (prefix: 'usr' | 'key'): string =>
  `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

export const MIN_PASSWORD = 12;
const MAX_PASSWORD = 1024;

/** Refuses a password too short, too long, or that is the email itself. */
export function checkPassword(password: string, email: string): void {
  const refuse = (message: string, expected: string): never => {
    throw new WaymarkError(ErrorCode.ValidationFailed, `the password is not accepted: ${message}`, {
      issues: [
        { path: 'body.password', message, expected, received: `${password.length} characters` },
      ],
    });
  };
  if (password.length < MIN_PASSWORD)
    refuse(`at least ${MIN_PASSWORD} characters`, `${MIN_PASSWORD} characters or more`);
  if (password.length > MAX_PASSWORD)
    refuse(`at most ${MAX_PASSWORD} characters`, `${MAX_PASSWORD} characters or fewer`);
  if (password.trim().toLowerCase() === email.trim().toLowerCase())
    refuse('the password cannot be the email address', 'something other than the email address');
}

export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against this when the email is unknown takes as long as a real check, so the answer's
// timing does not tell which emails have accounts.
let dummy: Promise<string> | null = null;

export async function verifyPasswordHash(
  stored: string | null,
  password: string,
): Promise<boolean> {
  if (stored === null) {
    dummy ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
