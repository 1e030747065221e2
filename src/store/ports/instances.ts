// Journey instances: one profile's way through one journey version.
import type { InstanceState } from '../../journey/instance.ts';

export interface InstanceRepository {
  activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]>;
  /** The active instances of all these profiles (each profile's in the order activeInstances gives). */
  activeInstancesOf(sandbox: string, profileIds: readonly string[]): Promise<InstanceState[]>;
  /** A version's active instances; of one partition only when `partition` is given (fleet mode's shares). */
  activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
    partition?: number,
  ): Promise<InstanceState[]>;
  getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null>;
  /** The batch form of getInstance; ids not stored are absent. */
  getInstances(ids: readonly string[]): Promise<Array<{ sandbox: string; state: InstanceState }>>;
  lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null>;
}
