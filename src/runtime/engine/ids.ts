// Ids for new instances, profiles and events: time-ordered, so indexes grow at their end.
import { randomUUID } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// The id's first 15 characters change once a millisecond, and its sequence is one of 4,096 texts:
// both are kept rather than formatted again for each id (several ids are made per event).
let prefixMs = -1;
let prefix = '';
const SEQUENCE_HEX = Array.from({ length: 0x1000 }, (_, i) => i.toString(16).padStart(3, '0'));

/**
 * A UUID (version 7 layout) that sorts by creation time: new instances, profiles and the timers
 * and outbox rows keyed by them append to the end of their indexes instead of dirtying a random
 * page each, which is most of what a commit costs on the embedded store.
 */
export function timeOrderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    seq++;
    if (seq > 0xfff) {
      ms = ++lastMs;
      seq = 0;
    }
  } else {
    lastMs = ms;
    seq = 0;
  }
  if (ms !== prefixMs) {
    const t = ms.toString(16).padStart(12, '0');
    prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    prefixMs = ms;
  }
  // randomUUID()'s last two groups with the dash before them: the variant and 62 random bits.
  return prefix + SEQUENCE_HEX[seq]! + randomUUID().slice(18);
}
