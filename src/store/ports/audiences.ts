// Audiences: memberships, batch evaluation's reads, audience jobs and sandbox settings.
import type { IdentityRef } from '../../model/profile.ts';

/** One profile's membership of one audience (epoch ms). */
export interface MembershipRow {
  readonly sandbox: string;
  readonly profileId: string;
  readonly audience: string;
  readonly status: 'realized' | 'exited';
  readonly realizedAt: number | null;
  readonly exitedAt: number | null;
}

export interface AudienceRepository {
  profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]>;
  /** Members of an audience in profile id order, after `afterProfileId`, with their identities; of one partition's profiles when `partition` is given. */
  audienceMembers(
    sandbox: string,
    audience: string,
    opts: {
      status?: 'realized' | 'exited';
      afterProfileId?: string;
      realizedAfter?: number;
      partition?: number;
      limit: number;
    },
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>>;
  /** Up to `limit` realized members drawn uniformly at random (each call draws again), in profile id order. */
  audienceSample(
    sandbox: string,
    audience: string,
    limit: number,
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>>;
  audienceSize(sandbox: string, audience: string): Promise<{ realized: number; exited: number }>;
  /**
   * Ids and attributes only, in id order after `afterId` (batch evaluation reads nothing else). With
   * `paths` (lists of keys), the attributes hold at least those subtrees, as stored; a store may
   * read just those rather than parse whole profiles.
   */
  scanAttributes(
    sandbox: string,
    opts: { afterId?: string; limit: number; paths?: ReadonlyArray<readonly string[]> },
  ): Promise<Array<{ id: string; attributes: Readonly<Record<string, unknown>> }>>;
  /** An audience's membership statuses for profile ids in (`afterProfileId`, `toProfileId`], in id order. */
  audienceStatuses(
    sandbox: string,
    audience: string,
    opts: { afterProfileId: string; toProfileId: string },
  ): Promise<
    Array<{ profileId: string; status: 'realized' | 'exited'; realizedAt: number | null }>
  >;
  audienceJobs(sandbox?: string): Promise<Array<{ sandbox: string; id: string; state: unknown }>>;
  getSetting(sandbox: string, key: string): Promise<unknown>;
  putSetting(sandbox: string, key: string, value: unknown): Promise<void>;
}
