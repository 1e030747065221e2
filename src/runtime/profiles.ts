// Profile writes go through the engine's single writer, like events, so they never race a step.
import { randomUUID } from 'node:crypto';
import type { Profile, ProfileUpdate } from '../model/profile.ts';
import { MAX_IDENTITY_LENGTH, normalizeIdentity } from '../model/identity.ts';
import { notFound, WaymarkError, ErrorCode } from '../errors.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import { deepMerge } from './paths.ts';
import type { UnitOfWork } from './unit-of-work/index.ts';
import type { Stitcher } from './audiences/stitching.ts';

/** A profile update with its identities normalized, ready to apply in a unit of work. */
export interface PreparedUpdate {
  readonly namespace: string;
  readonly value: string;
  readonly extra: ReadonlyArray<{ namespace: string; id: string }>;
  readonly update: ProfileUpdate;
}

export class ProfileService {
  /** `stitcher` merges the profiles that own identities an update links (src/runtime/audiences/stitching.ts); without it such an update is refused. */
  constructor(
    private readonly rt: RuntimeParts,
    private readonly stitcher?: Stitcher,
  ) {}

  private async normalize(sandbox: string, namespace: string, id: string): Promise<string> {
    const catalog = await this.rt.catalogs.get(sandbox);
    const ns = catalog.namespaces.get(namespace);
    if (!ns)
      throw new WaymarkError(
        ErrorCode.NotFound,
        `the identity namespace "${namespace}" does not exist`,
        {
          issues: [
            {
              path: 'namespace',
              message: 'unknown namespace',
              expected: [...catalog.namespaces.keys()].join(' | '),
              received: namespace,
            },
          ],
        },
      );
    if (id.length > MAX_IDENTITY_LENGTH)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `the ${namespace} identity value is longer than ${MAX_IDENTITY_LENGTH} characters`,
        {
          issues: [
            {
              path: 'id',
              message: 'the identity value is too long',
              expected: `at most ${MAX_IDENTITY_LENGTH} characters`,
              received: `${id.length} characters`,
            },
          ],
        },
      );
    return normalizeIdentity(ns.kind, id);
  }

  async get(sandbox: string, namespace: string, id: string): Promise<Profile> {
    const value = await this.normalize(sandbox, namespace, id);
    const pid = await this.rt.store.findProfileId(sandbox, namespace, value);
    const p = pid ? await this.rt.store.getProfile(sandbox, pid) : null;
    if (!p) throw notFound('profile', `${namespace}:${id}`);
    return p;
  }

  /**
   * Changes a stored profile's attributes by id (the channels' feedback: dead tokens, opt-outs,
   * bounces; a landing page's form). `also` adds to the same unit of work (committed together).
   * False when there is no such profile (nothing written).
   */
  async patchById(
    sandbox: string,
    profileId: string,
    change: (attributes: Readonly<Record<string, unknown>>) => Record<string, unknown>,
    also?: (uow: UnitOfWork) => void,
  ): Promise<boolean> {
    return this.rt.writer.exclusive(async (turn) => {
      const uow = turn.unit();
      const p = await uow.profile(sandbox, profileId);
      if (!p) return false;
      uow.putProfile(sandbox, {
        ...p,
        attributes: change(p.attributes),
        updatedAt: new Date(uow.now).toISOString(),
      });
      also?.(uow);
      await turn.commit(uow);
      return true;
    });
  }

  /** What a provider's answer teaches about an address. */
  async addressProblem(
    sandbox: string,
    profileId: string,
    problem: {
      kind: 'invalidToken' | 'invalidAddress' | 'optedOut';
      channel: 'push' | 'sms' | 'email';
      address: string;
    },
  ): Promise<void> {
    await this.patchById(sandbox, profileId, (a) => {
      switch (problem.kind) {
        case 'invalidToken': {
          const tokens = Array.isArray(a.pushNotificationDetails) ? a.pushNotificationDetails : [];
          return {
            ...a,
            pushNotificationDetails: tokens.filter(
              (t) => (t as { token?: unknown }).token !== problem.address,
            ),
          };
        }
        case 'invalidAddress':
          return deepMerge(a, {
            undeliverable: { [problem.channel]: { [problem.address.replace(/\./g, '_')]: true } },
          });
        case 'optedOut':
          return deepMerge(a, { consents: { marketing: { [problem.channel]: 'n' } } });
      }
    });
  }

  /**
   * Edits the profile's push details (`pushNotificationDetails`) in one unit of work, creating the
   * profile if needed: a device or browser subscription added, renewed or withdrawn.
   */
  async editPushTokens(
    sandbox: string,
    namespace: string,
    id: string,
    edit: (tokens: readonly Record<string, unknown>[]) => Record<string, unknown>[],
  ): Promise<Profile> {
    const prepared = await this.prepare(sandbox, namespace, id, { attributes: {}, identities: [] });
    return this.rt.writer.run(async (uow) => {
      const pid = await uow.findProfileId(sandbox, namespace, prepared.value);
      const existing = pid ? await uow.profile(sandbox, pid) : null;
      const stored = existing?.attributes['pushNotificationDetails'];
      const tokens = Array.isArray(stored)
        ? stored.filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null)
        : [];
      return this.applyUpdate(uow, sandbox, {
        ...prepared,
        update: { ...prepared.update, attributes: { pushNotificationDetails: edit(tokens) } },
      });
    });
  }

  /** Creates the profile if needed and deep-merges the attributes (PUT semantics of the API). */
  async put(
    sandbox: string,
    namespace: string,
    id: string,
    update: ProfileUpdate,
  ): Promise<Profile> {
    const prepared = await this.prepare(sandbox, namespace, id, update);
    return this.rt.writer.run((uow) => this.applyUpdate(uow, sandbox, prepared));
  }

  /** Normalizes the identities of an update (unknown namespaces are refused). */
  async prepare(
    sandbox: string,
    namespace: string,
    id: string,
    update: ProfileUpdate,
  ): Promise<PreparedUpdate> {
    const value = await this.normalize(sandbox, namespace, id);
    const extra = await Promise.all(
      update.identities.map(async (i) => ({
        namespace: i.namespace,
        id: await this.normalize(sandbox, i.namespace, i.id),
      })),
    );
    return { namespace, value, extra, update };
  }

  /** Creates the profile or deep-merges into it, inside `uow`; identities owned by other profiles are stitched (merged). */
  async applyUpdate(uow: UnitOfWork, sandbox: string, prepared: PreparedUpdate): Promise<Profile> {
    const { namespace, value, extra, update } = prepared;
    {
      const at = new Date(uow.now).toISOString();
      const pid = await uow.findProfileId(sandbox, namespace, value);
      let existing = pid ? await uow.profile(sandbox, pid) : null;
      if (this.stitcher && extra.length > 0) {
        const base: Profile = existing ?? {
          id: randomUUID(),
          identities: [{ namespace, id: value }],
          attributes: {},
          testProfile: false,
          createdAt: at,
          updatedAt: at,
        };
        existing = await this.stitcher.link(uow, await this.rt.catalogs.get(sandbox), base, extra);
      }
      const identities = [...(existing?.identities ?? [{ namespace, id: value }])];
      for (const i of extra) {
        const owner = await uow.findProfileId(sandbox, i.namespace, i.id);
        if (owner && owner !== (existing?.id ?? owner))
          throw new WaymarkError(
            ErrorCode.Conflict,
            `the identity ${i.namespace}:${i.id} belongs to another profile`,
          );
        if (!identities.some((x) => x.namespace === i.namespace && x.id === i.id))
          identities.push(i);
      }
      const profile: Profile = {
        id: existing?.id ?? randomUUID(),
        identities,
        attributes: deepMerge(existing?.attributes ?? {}, update.attributes),
        testProfile: update.testProfile ?? existing?.testProfile ?? false,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      uow.putProfile(sandbox, profile);
      return profile;
    }
  }
}
