// Key rotation and the start-up check of stored secrets, over every sandbox. Rotation re-encrypts
// each object's secrets with the newest key of the ring, one object per atomic write that applies
// only if nobody changed the object meanwhile (else it is read again and retried).
import type { Store } from '../store/ports.ts';
import { SECRET_KINDS, type SecretBox, type UnreadableSecret } from './secret-box.ts';

type Body = Record<string, unknown>;

export interface ObjectRef {
  readonly kind: string;
  readonly sandbox: string;
  readonly name: string;
}

export interface UnreadableObject extends ObjectRef {
  readonly fields: readonly UnreadableSecret[];
}

export interface RotationReport {
  /** The key every secret is now encrypted with. */
  readonly keyId: string;
  /** Objects holding secrets that were looked at. */
  readonly examined: number;
  /** Objects written again with the newest key. */
  readonly reencrypted: number;
  /** Objects whose secrets were already encrypted with the newest key (or that hold none). */
  readonly current: number;
  /** Objects left as they were, with the reason (a secret no key of the ring opens). */
  readonly failed: ReadonlyArray<ObjectRef & { readonly message: string }>;
}

/** Every stored object with a secret the keyring cannot decrypt. */
export async function findUnreadableSecrets(
  store: Store,
  box: SecretBox,
): Promise<UnreadableObject[]> {
  const found: UnreadableObject[] = [];
  for (const kind of SECRET_KINDS) {
    for (const o of await store.listObjectsOfKind<Body>(kind)) {
      const fields = box.check(kind, o.body);
      if (fields.length > 0) found.push({ kind, sandbox: o.sandbox, name: o.key, fields });
    }
  }
  return found;
}

const MAX_TRIES = 5;

/** Re-encrypts every stored secret with the newest key of the ring. */
export async function rotateSecrets(
  store: Store,
  box: SecretBox,
  now: () => string = () => new Date().toISOString(),
): Promise<RotationReport> {
  let examined = 0;
  let reencrypted = 0;
  let current = 0;
  const failed: Array<ObjectRef & { message: string }> = [];
  for (const kind of SECRET_KINDS) {
    for (const listed of await store.listObjectsOfKind<Body>(kind)) {
      examined++;
      const ref = { kind, sandbox: listed.sandbox, name: listed.key };
      let object: typeof listed | null = listed;
      let outcome: 'written' | 'current' | 'gone' | { message: string } = {
        message: `changed by someone else ${MAX_TRIES} times while rotating; run the rotation again`,
      };
      for (let attempt = 0; attempt < MAX_TRIES && object; attempt++) {
        let next: { body: Body; changed: boolean };
        try {
          next = box.reseal(kind, object.body, object.sandbox);
        } catch (e) {
          outcome = { message: (e as Error).message };
          break;
        }
        if (!next.changed) {
          outcome = 'current';
          break;
        }
        if (
          await store.replaceObjectIfRevision(
            object.sandbox,
            kind,
            object.key,
            object.revision,
            next.body,
            now(),
          )
        ) {
          outcome = 'written';
          break;
        }
        object = await store.getObject<Body>(object.sandbox, kind, object.key);
        if (!object) outcome = 'gone';
      }
      if (outcome === 'written') reencrypted++;
      else if (outcome === 'current') current++;
      else if (outcome === 'gone') examined--;
      else failed.push({ ...ref, message: outcome.message });
    }
  }
  return { keyId: box.currentKeyId, examined, reencrypted, current, failed };
}
