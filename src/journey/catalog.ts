import type { JsonSchema } from '../model/common.ts';
import type { ChannelKind } from '../model/channel-configuration.ts';

/** What a journey may refer to, as the journey validator and compiler see it. */
export interface JourneyCatalog {
  readonly events: Readonly<
    Record<
      string,
      {
        readonly schema: JsonSchema;
        /** '' for a business event (it has no identity). */
        readonly namespace: string;
        /** A business event: starts read-audience journeys only, never a unitary one. */
        readonly business?: boolean;
      }
    >
  >;
  readonly actions: Readonly<
    Record<
      string,
      {
        readonly responseSchema?: JsonSchema;
        readonly requiredParameters: readonly string[];
        readonly parameters: readonly string[];
      }
    >
  >;
  readonly profileSchema?: JsonSchema;
  readonly audiences?: readonly string[];
  /** The identity namespace of each audience that declares one (audience entries must match it). */
  readonly audienceNamespaces?: Readonly<Record<string, string>>;
  /** Channel configurations by name and channel; when absent, configurations are not checked. */
  readonly configurations?: Readonly<Record<string, ChannelKind>>;
  /**
   * The feedback each configuration does not track (an email configuration with opens or clicks
   * off, an SMS one without link shortening): a reaction waiting for it could never be taken.
   */
  readonly untracked?: Readonly<Record<string, readonly ('opened' | 'clicked')[]>>;
  readonly ruleSets?: readonly string[];
  /** Identity namespace codes: profile attributes named after them are identities. */
  readonly namespaces?: readonly string[];
  /** The sandbox's journeys by id, for jumps; when absent, jump targets are not checked. */
  readonly journeys?: Readonly<
    Record<
      string,
      {
        readonly name: string;
        readonly entry: 'event' | 'audience' | 'readAudience';
        /** Whether a version is live (a jump enters the newest live one). */
        readonly live: boolean;
        /** The journeys its versions (live, in test, or the newest draft) jump to. */
        readonly jumps: readonly string[];
      }
    >
  >;
}
