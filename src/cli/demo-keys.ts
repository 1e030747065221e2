// The demo's keys. The Luma storefront's write key: an API key with the built-in data-ingest role (events.ingest
// only) in the demo sandbox, created once and kept in the data folder (demo-write-key.json, 0600
// like every file there), so restarts reuse it. A revoked or expired key is replaced.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import { SYSTEM_ACTOR } from '../access/policy.ts';
import type { Directory } from '../runtime/access/contracts.ts';

export const DEMO_WRITE_KEY_FILE = 'demo-write-key.json';
const NAME = 'Luma storefront (demo write key)';

export async function demoWriteKey(
  directory: Directory,
  dataDir: string,
  now: Date = new Date(),
): Promise<string> {
  const file = join(dataDir, DEMO_WRITE_KEY_FILE);
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; key?: string };
      const k = (await directory.listKeys()).find((x) => x.id === saved.id);
      const usable =
        k !== undefined &&
        k.revokedAt === null &&
        k.rotatedTo === null &&
        (k.expiresAt === null || Date.parse(k.expiresAt) > now.getTime());
      if (usable && typeof saved.key === 'string' && saved.key !== '') return saved.key;
    } catch {
      // unreadable: make a new one
    }
  }
  const created = await directory.createKey(
    { name: NAME, role: 'data-ingest', sandboxes: ['prod'], expiresAt: null },
    SYSTEM_ACTOR,
  );
  writeFileSync(file, `${JSON.stringify({ id: created.id, key: created.key })}\n`, { mode: 0o600 });
  return created.key;
}

/** The demo's VAPID key pair (LumaWebPush's Web Push settings), made once and kept in the data folder. */
export function demoVapidKeys(dataDir: string): {
  subject: string;
  publicKey: string;
  privateKey: string;
} {
  const file = join(dataDir, 'demo-vapid.json');
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (typeof saved['publicKey'] === 'string' && typeof saved['privateKey'] === 'string')
        return {
          subject: 'mailto:push@luma.example',
          publicKey: saved['publicKey'],
          privateKey: saved['privateKey'],
        };
    } catch {
      // unreadable: make a new pair
    }
  }
  const keys = webPush.generateVAPIDKeys();
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  return { subject: 'mailto:push@luma.example', ...keys };
}
