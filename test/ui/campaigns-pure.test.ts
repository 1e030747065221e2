// The campaign pages' pure parts: wall-clock times in a time zone (the schedule step's inputs),
// schedules in words, problems in a marketer's words, the trigger call as cURL, even splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evenSplit,
  fieldName,
  hasContent,
  isoToZoned,
  problemText,
  scheduleText,
  triggerCurl,
  zonedToIso,
} from '../../ui/src/campaigns/campaign-text.ts';

test('a wall-clock time in a time zone is the instant it names, across daylight saving', () => {
  assert.equal(zonedToIso('2027-01-15T09:00', 'Europe/Paris'), '2027-01-15T08:00:00Z');
  assert.equal(zonedToIso('2027-07-15T09:00', 'Europe/Paris'), '2027-07-15T07:00:00Z');
  assert.equal(zonedToIso('2027-03-14T09:30', 'America/New_York'), '2027-03-14T13:30:00Z');
  assert.equal(zonedToIso('2027-01-15T09:00', 'UTC'), '2027-01-15T09:00:00Z');
  assert.equal(zonedToIso('not a time', 'UTC'), null);
  assert.equal(zonedToIso('2027-01-15T09:00', 'Not/AZone'), null);
  // And back, for the input's value.
  for (const [local, tz] of [
    ['2027-01-15T09:00', 'Europe/Paris'],
    ['2027-07-15T23:59', 'Asia/Tokyo'],
    ['2027-11-07T12:00', 'America/Los_Angeles'],
  ] as const)
    assert.equal(isoToZoned(zonedToIso(local, tz)!, tz), local);
  assert.equal(isoToZoned(undefined, 'UTC'), '');
});

test('schedules read as sentences', () => {
  assert.equal(scheduleText({ kind: 'now' }, 'UTC', 'scheduled'), 'As soon as activated');
  assert.equal(
    scheduleText({ kind: 'now' }, 'UTC', 'api-triggered'),
    'Accepts calls once activated',
  );
  assert.equal(
    scheduleText({ kind: 'at', at: '2027-01-15T08:00:00Z' }, 'Europe/Paris', 'scheduled'),
    'Once, Jan 15, 2027, 09:00 (Europe/Paris)',
  );
  assert.equal(
    scheduleText(
      {
        kind: 'recurring',
        recurrence: { frequency: 'weekly', every: 2, weekdays: [1, 4], time: '09:00' },
        endAt: '2027-03-01T00:00:00Z',
      },
      'UTC',
      'scheduled',
    ),
    'Every 2 weeks on Mon, Thu at 09:00 until Mar 1, 2027, 00:00 (UTC)',
  );
  assert.equal(
    scheduleText(
      {
        kind: 'recurring',
        recurrence: { frequency: 'monthly', every: 1, dayOfMonth: 31, time: '18:30' },
        endAt: '2027-12-31T00:00:00Z',
      },
      'UTC',
      'scheduled',
    ),
    'Every month on day 31 at 18:30 until Dec 31, 2027, 00:00 (UTC)',
  );
});

test("the server's problems name fields a marketer knows", () => {
  assert.equal(fieldName('action.configuration'), 'Channel configuration');
  assert.equal(fieldName('action.content.subject'), 'Subject');
  assert.equal(fieldName('experiment.treatments.1.content.subject'), 'Subject (treatment 2)');
  assert.equal(fieldName('audience.namespace'), 'Identity namespace');
  assert.equal(fieldName('schedule.endAt'), 'Schedule');
  assert.equal(problemText('Invalid input: expected string, received undefined'), 'missing');
  assert.equal(problemText('choose a channel configuration'), 'choose a channel configuration');
});

test('a message with nothing in it is not previewed', () => {
  assert.equal(hasContent('email', { channel: 'email' }), false);
  assert.equal(hasContent('email', { channel: 'email', subject: 'Hi' }), true);
  assert.equal(hasContent('email', { document: { body: [] } }), true);
  assert.equal(hasContent('sms', { text: '' }), false);
  assert.equal(hasContent('push', { title: 'Shipped' }), true);
});

test('the trigger call as cURL names the campaign, the sandbox and a recipient it accepts', () => {
  const byIdentity = triggerCurl({
    origin: 'https://waymark.example',
    campaignId: 'order-shipped',
    sandbox: 'prod',
    namespace: 'Email',
    mode: 'transactional',
  });
  assert.match(
    byIdentity,
    /^curl -X POST 'https:\/\/waymark\.example\/v1\/campaigns\/order-shipped\/trigger'/,
  );
  assert.match(byIdentity, /-H 'x-sandbox-name: prod'/);
  assert.match(byIdentity, /-H "authorization: Bearer \$WAYMARK_API_KEY"/);
  const body = JSON.parse(/-d '([\s\S]*)'$/.exec(byIdentity)![1]!) as Record<string, unknown>;
  assert.deepEqual(body['recipients'], [{ identity: 'someone@example.com', namespace: 'Email' }]);
  assert.equal(typeof body['requestId'], 'string');
  const byAddress = triggerCurl({
    origin: 'http://localhost:4600',
    campaignId: 'reset',
    sandbox: 'prod',
    namespace: undefined,
    mode: 'transactional',
  });
  assert.deepEqual(
    (JSON.parse(/-d '([\s\S]*)'$/.exec(byAddress)![1]!) as Record<string, unknown>)['recipients'],
    [{ address: 'someone@example.com' }],
  );
});

test('an even split totals 100', () => {
  for (let n = 2; n <= 5; n++)
    assert.equal(
      evenSplit(n).reduce((a, b) => a + b, 0),
      100,
    );
  assert.deepEqual(evenSplit(3), [34, 33, 33]);
});
