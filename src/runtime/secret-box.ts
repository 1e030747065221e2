// Secrets at rest: channel configurations and custom actions are stored with their secret fields
// encrypted (AES-256-GCM, key in the data folder), shown redacted in every answer and export, and
// decrypted only where a channel or an action is called. A redacted value sent back means "keep".
import { decryptSecrets, encryptSecrets, generateSecretKey, isEncrypted, mapSecretPaths, redact, REDACTED, type SecretKey } from '../channels/secrets.ts';
import { channelSecretPaths, type ChannelConfiguration } from '../model/channel-configuration.ts';
import { customActionSecretPaths } from '../model/custom-action.ts';
import { readPath } from './paths.ts';

type Body = Record<string, unknown>;

function secretPaths(kind: string, body: Body): readonly string[] | null {
  if (kind === 'channelConfiguration') return channelSecretPaths[(body as unknown as ChannelConfiguration).channel] ?? [];
  if (kind === 'action') return customActionSecretPaths;
  return null;
}

const contextOf = (kind: string, body: Body): string => (kind === 'channelConfiguration' ? `channel-configuration/${String(body.channel)}` : `custom-action`);

export class SecretBox {
  constructor(private readonly key: SecretKey = generateSecretKey()) {}

  /** The stored form: secrets encrypted; "[redacted]" placeholders take the stored value. */
  seal(kind: string, body: Body, stored: Body | null): Body {
    const paths = secretPaths(kind, body);
    if (!paths) return body;
    const kept = mapSecretPaths(body, paths, (v, p) => {
      if (v !== REDACTED) return v;
      const previous = stored ? readPath(stored, p) : undefined;
      return typeof previous === 'string' ? previous : v;
    });
    return encryptSecrets(kept, paths, this.key, contextOf(kind, body));
  }

  /** The usable form, for the code that calls the provider. */
  open<T>(kind: string, body: T): T {
    const paths = secretPaths(kind, body as Body);
    return paths ? decryptSecrets(body, paths, this.key, contextOf(kind, body as Body)) : body;
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
