// The success metric per treatment, on a known dataset: two treatments (a, b) and a holdout.
// a: messages m1 (p1), m2 (p2), m3 (p3); b: m4 (p4), m5 (p5). Holdout: p6, p7, p8.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeMetrics,
  HOUR_MS,
  type ProfileEvent,
  type SentMessage,
  type SuccessMetric,
} from '../../src/experiment/index.ts';

const T = Date.UTC(2026, 10, 2, 9);
const messages: SentMessage[] = [
  { id: 'm1', profileId: 'p1', arm: 'a', sentAt: T },
  { id: 'm2', profileId: 'p2', arm: 'a', sentAt: T },
  { id: 'm3', profileId: 'p3', arm: 'a', sentAt: T },
  { id: 'm4', profileId: 'p4', arm: 'b', sentAt: T },
  { id: 'm5', profileId: 'p5', arm: 'b', sentAt: T },
  // Another arm's message is not counted.
  { id: 'mx', profileId: 'p9', arm: 'other', sentAt: T },
];
const ev = (profileId: string, type: string, hours: number, messageId?: string): ProfileEvent => ({
  profileId,
  type,
  at: T + hours * HOUR_MS,
  ...(messageId ? { messageId } : {}),
});
const events: ProfileEvent[] = [
  // p1 opens twice and clicks three times; p2 opens once; p4 opens, clicks once.
  ev('p1', 'message.opened', 1, 'm1'),
  ev('p1', 'message.opened', 2, 'm1'),
  ev('p1', 'message.clicked', 1, 'm1'),
  ev('p1', 'message.clicked', 1.5, 'm1'),
  ev('p1', 'message.clicked', 3, 'm1'),
  ev('p2', 'message.opened', 1, 'm2'),
  ev('p4', 'message.opened', 1, 'm4'),
  ev('p4', 'message.clicked', 1, 'm4'),
  // An open of a message of no treatment, and one naming no message, are not counted.
  ev('p9', 'message.opened', 1, 'mx'),
  ev('p5', 'message.opened', 1),
  // Purchases: p1 within 24 hours (twice), p3 after 30 hours, p5 an hour before its send.
  ev('p1', 'purchase', 5),
  ev('p1', 'purchase', 6),
  ev('p3', 'purchase', 30),
  ev('p5', 'purchase', -1),
  // The holdout: p6 buys after 2 hours, p7 after 30 hours, p8 after 10 hours (after the rest's send).
  ev('p6', 'purchase', 2),
  ev('p7', 'purchase', 30),
  ev('p8', 'purchase', 10),
];
const holdout = ['p6', 'p7', 'p8'].map((profileId) => ({
  profileId,
  from: T,
  until: T + 8 * HOUR_MS,
}));

const run = (metric: SuccessMetric) =>
  computeMetrics({ metric, arms: ['a', 'b'], messages, events, holdout });
const rows = (r: ReturnType<typeof run>) =>
  r.arms.map((a) => [a.id, a.exposures, a.successes, a.events]);

describe('experiment metrics', () => {
  test('opens: a profile counts once however often it opens', () => {
    const r = run({ kind: 'opens' });
    assert.deepEqual(rows(r), [
      ['a', 3, 2, 3],
      ['b', 2, 1, 1],
    ]);
    assert.deepEqual(r.holdout, { size: 3, successes: null }, 'the holdout got nothing to open');
  });

  test('unique clicks: profiles that clicked at least once', () => {
    assert.deepEqual(rows(run({ kind: 'uniqueClicks' })), [
      ['a', 3, 1, 3],
      ['b', 2, 1, 1],
    ]);
  });

  test('clicks: every click event counts, the successes are the messages clicked', () => {
    const r = computeMetrics({
      metric: { kind: 'clicks' },
      arms: ['a', 'b'],
      // p1 is sent a second message (m1b) it does not click: two messages, one clicked.
      messages: [...messages, { id: 'm1b', profileId: 'p1', arm: 'a', sentAt: T + HOUR_MS }],
      events,
    });
    assert.deepEqual(rows(r), [
      ['a', 4, 1, 3],
      ['b', 2, 1, 1],
    ]);
    assert.deepEqual(r.holdout, { size: 0, successes: null });
  });

  test('conversions: an event of the type within the window after the send; the holdout is the baseline', () => {
    const r = run({ kind: 'conversion', eventType: 'purchase', windowHours: 24 });
    assert.deepEqual(rows(r), [
      ['a', 3, 1, 2],
      ['b', 2, 0, 0],
    ]);
    // p6 converted within the window and before the rest's send; p7 too late; p8 after the send.
    assert.deepEqual(r.holdout, { size: 3, successes: 1 });
    const wide = run({ kind: 'conversion', eventType: 'purchase', windowHours: 48 });
    assert.deepEqual(rows(wide), [
      ['a', 3, 2, 3],
      ['b', 2, 0, 0],
    ]);
  });

  test('an arm with no message has no exposure', () => {
    const r = computeMetrics({ metric: { kind: 'opens' }, arms: ['a', 'z'], messages, events });
    assert.deepEqual(r.arms[1], { id: 'z', exposures: 0, successes: 0, events: 0 });
  });
});
