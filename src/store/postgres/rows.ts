// Row shapes of the PostgreSQL store and their mapping to domain values. `json` columns arrive
// parsed (node-postgres runs JSON.parse, which keeps a "__proto__" key as data); bigint columns
// arrive as numbers (see `pgTypes` in connection.ts).
import * as shared from '../row-mapping.ts';

export type JourneyRow = shared.JourneyRow<unknown>;
export type ProfileRow = shared.ProfileRow<unknown>;
export type OutboxRow = shared.OutboxRow<unknown>;
export type MessageRow = shared.MessageRow<unknown>;
export type DeadLetterRow = shared.DeadLetterRow<unknown>;
export type ObjectRow = shared.ObjectRow<unknown>;
export type TimerDbRow = shared.TimerDbRow<unknown>;
export type { MembershipDbRow } from '../row-mapping.ts';
export { toMembership } from '../row-mapping.ts';

export const {
  toObject,
  toJourneyVersion,
  toProfile,
  toInstance,
  toTimer,
  toOutboxItem,
  toMessage,
  toDeadLetter,
  toMember,
} = shared.rowMapping<unknown>((value) => value);
