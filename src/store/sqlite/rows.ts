// Row shapes of the embedded store: the shared mapping (../row-mapping.ts) with JSON columns as text.
import * as shared from '../row-mapping.ts';

export type JourneyRow = shared.JourneyRow<string>;
export type ProfileRow = shared.ProfileRow<string>;
export type OutboxRow = shared.OutboxRow<string>;
export type MessageRow = shared.MessageRow<string>;
export type DeadLetterRow = shared.DeadLetterRow<string>;
export type ObjectRow = shared.ObjectRow<string>;
export type TimerDbRow = shared.TimerDbRow<string>;
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
} = shared.rowMapping<string>((text) => JSON.parse(text) as unknown);
