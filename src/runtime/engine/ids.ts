// Ids for new instances, profiles and events: time-ordered, so indexes grow at their end.
import { randomUUID } from 'node:crypto';

let lastMs = 0;
let seq = 0;

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
  const t = ms.toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-${r.slice(19)}`;
}
