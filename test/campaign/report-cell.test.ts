// Which profiles a campaign report cell counts (src/campaign/report-cell.ts): the same records and
// rules as the report, narrowed to a run, a treatment or an exclusion reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { versionOf, WINNER_ARM } from '../../src/campaign/as-journey.ts';
import {
  cellProfiles,
  describeCell,
  type CellFeedback,
  type CellMessage,
  type CellScope,
} from '../../src/campaign/report-cell.ts';

/** Two runs of an experiment with treatments a and b, then the winner sent to the rest. */
const scope: CellScope = {
  runs: 2,
  armName: (arm) => (arm === WINNER_ARM ? 'winner' : (['', 'a', 'b'][arm] ?? `arm-${arm}`)),
};
const sent = (profileId: string, run: number, arm: number): CellMessage => ({
  profileId,
  version: versionOf(run, arm),
  status: 'sent',
  reason: null,
});
const messages: CellMessage[] = [
  sent('p1', 1, 1),
  sent('p2', 1, 2),
  { ...sent('p3', 1, 1), status: 'bounced' },
  { ...sent('p4', 2, 2), status: 'delivered' },
  { ...sent('p5', 2, WINNER_ARM) },
  { ...sent('p6', 1, 1), status: 'excluded', reason: 'consent' },
  { ...sent('p7', 1, 2), status: 'excluded', reason: 'capping' },
  { ...sent('p8', 2, 1), status: 'failed' },
  { ...sent('p9', 2, 1), status: 'queued' },
  // A run the report does not show (the campaign has two), and a message of no version.
  sent('p10', 3, 1),
  { ...sent('p11', 1, 1), version: null },
];
const feedback: CellFeedback[] = [
  { profileId: 'p1', version: versionOf(1, 1), action: 'opened' },
  { profileId: 'p1', version: versionOf(1, 1), action: 'opened' },
  { profileId: 'p2', version: versionOf(1, 2), action: 'clicked' },
  { profileId: 'p4', version: versionOf(2, 2), action: 'opened' },
  { profileId: 'p5', version: versionOf(2, WINNER_ARM), action: 'unsubscribed' },
];
const of = (cell: Parameters<typeof cellProfiles>[0]) =>
  cellProfiles(cell, scope, { messages, feedback });

test('the whole campaign: each column its profiles, each once, queued and unshown runs left out', () => {
  assert.deepEqual(of({ outcome: 'sent' }), ['p1', 'p2', 'p3', 'p4', 'p5']);
  assert.deepEqual(of({ outcome: 'delivered' }), ['p4']);
  assert.deepEqual(of({ outcome: 'bounced' }), ['p3']);
  assert.deepEqual(of({ outcome: 'errors' }), ['p8']);
  assert.deepEqual(of({ outcome: 'excluded' }), ['p6', 'p7']);
  assert.deepEqual(of({ outcome: 'excluded', reason: 'capping' }), ['p7']);
  assert.deepEqual(of({ outcome: 'opened' }), ['p1', 'p4'], 'p1 opened twice: one member');
  assert.deepEqual(of({ outcome: 'clicked' }), ['p2']);
  assert.deepEqual(of({ outcome: 'unsubscribed' }), ['p5']);
});

test('a run, a treatment, a treatment of a run, the winner', () => {
  assert.deepEqual(of({ outcome: 'sent', run: 1 }), ['p1', 'p2', 'p3']);
  assert.deepEqual(of({ outcome: 'sent', treatment: 'b' }), ['p2', 'p4']);
  assert.deepEqual(of({ outcome: 'sent', run: 2, treatment: 'b' }), ['p4']);
  assert.deepEqual(of({ outcome: 'opened', run: 1, treatment: 'b' }), []);
  assert.deepEqual(of({ outcome: 'sent', treatment: 'winner' }), ['p5']);
  assert.deepEqual(of({ outcome: 'excluded', reason: 'consent', treatment: 'a' }), ['p6']);
});

test('a cell in words', () => {
  assert.equal(describeCell({ outcome: 'opened' }), 'opened, every run');
  assert.equal(
    describeCell({ outcome: 'excluded', reason: 'consent', run: 2, treatment: 'b' }),
    'excluded (consent), run 2, treatment b',
  );
});
