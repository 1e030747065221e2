// Profiles and the identities that name them.
import type { IdentityRef, Profile } from '../../model/profile.ts';

/** A profile as a commit batch writes it (CommitBatch.profiles). */
export interface ProfileWrite {
  readonly sandbox: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly testProfile: boolean;
  readonly identities: readonly IdentityRef[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * The batch creates this profile (its identities named no stored profile when it was read):
   * nothing of it is stored, so a networked store need not read its partition back.
   */
  readonly created?: boolean;
}

export interface ProfileRepository {
  getProfile(sandbox: string, id: string): Promise<Profile | null>;
  findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null>;
  /**
   * The batch forms of getProfile and findProfileId, for a unit of work that reads ahead (one round
   * trip on a database server instead of one per event). Ids or identities not stored are absent.
   */
  getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]>;
  /** Profile ids by identity, keyed `${namespace}\u0000${value}`. */
  findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>>;
  listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]>;
}
