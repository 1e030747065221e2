// Push opens and clicks, reported by the app: a journey's push reaches Sarah's and Ana's phones
// (the development push provider) carrying its message id in the notification's data; Sarah's app
// reports the notification opened, and the reaction activity waiting for an open takes its path
// while Ana's times out. A click is counted on the activity; another user's message, bad bodies
// and keys without events.ingest are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushInteractionAnswer } from '../../src/isomorphic/api/in-app.ts';
import { PUSH_MESSAGE_ID_KEY } from '../../src/runtime/push-interactions.ts';
import { conforms } from '../support/conforms.ts';
import {
  nodeCounts,
  pathOf as journeyPath,
  publishJourney,
  putEmailEventType,
} from '../support/journeys.ts';
import { apiWorld, ROLE_KEYS, type ApiWorld } from '../support/server.ts';
import { until } from '../webhooks/receiver.ts';

const SARAH = 'sarah.miller@luma.example';
const ANA = 'ana.garcia@luma.example';
const HOUR = 3_600_000;

const pathOf = (w: ApiWorld, email: string) => journeyPath(w, email, 'push-open');

/** The message id the app finds in the notification's data, as the provider received it. */
async function messageIdOnPhone(w: ApiWorld, token: string): Promise<string> {
  const payload = await until(
    () => w.providers.push.find((p) => p.deviceToken === token)?.payload,
    `the push to ${token}`,
  );
  const id = new RegExp(`"${PUSH_MESSAGE_ID_KEY}":"([^"]+)"`).exec(JSON.stringify(payload))?.[1];
  assert.ok(id, `the notification carries its message id: ${JSON.stringify(payload)}`);
  return id;
}

test('an app reports a push opened: the reaction on opened takes its path; clicks count; bad reports are refused', async () => {
  const w = await apiWorld();
  try {
    await putEmailEventType(w, 'PushCheckout');
    await publishJourney(w, 'push-open', {
      name: 'Push open',
      start: 'start',
      nodes: [
        { id: 'start', kind: 'event', event: 'PushCheckout', next: ['nudge'] },
        {
          id: 'nudge',
          kind: 'push',
          configuration: 'DXDemoApp',
          category: 'transactional',
          content: { title: 'Your cart', body: 'Hi {{profile.person.name.firstName}}' },
          next: ['seen'],
        },
        {
          id: 'seen',
          kind: 'reaction',
          message: 'nudge',
          reaction: 'opened',
          next: ['thanks'],
          timeout: { duration: 'PT1H', next: ['late'] },
        },
        { id: 'thanks', kind: 'end' },
        { id: 'late', kind: 'end' },
      ],
    });
    await w.send([
      { id: 'pc-1', type: 'PushCheckout', payload: { email: SARAH } },
      { id: 'pc-2', type: 'PushCheckout', payload: { email: ANA } },
    ]);
    await w.advance(2000);
    const sarahMessage = await messageIdOnPhone(w, 'dev-token-sarah');
    const anaMessage = await messageIdOnPhone(w, 'dev-token-ana');

    const report = (body: Record<string, unknown>, headers?: Record<string, string>) =>
      w.request('POST', '/v1/push/interactions', body, headers);
    const opened = await report({
      namespace: 'Email',
      id: SARAH,
      messageId: sarahMessage,
      interaction: 'opened',
    });
    assert.equal(opened.status, 202, JSON.stringify(opened.body));
    conforms(pushInteractionAnswer, { ...opened, status: 200 }, 'POST /v1/push/interactions');
    const clicked = await report({
      namespace: 'Email',
      id: SARAH,
      messageId: sarahMessage,
      interaction: 'clicked',
      action: 'view-cart',
    });
    assert.equal(clicked.status, 202);
    await w.advance(2000);
    assert.deepEqual(await pathOf(w, SARAH), [
      'start:PushCheckout',
      'nudge:sent',
      'seen:opened',
      'thanks:end',
    ]);
    await w.advance(HOUR + 2000);
    assert.deepEqual(await pathOf(w, ANA), [
      'start:PushCheckout',
      'nudge:sent',
      'seen:timeout',
      'late:end',
    ]);

    const count = await nodeCounts(w, 'push-open', 'nudge');
    assert.equal(count('opened'), 1);
    assert.equal(count('clicked'), 1);

    // Refused: another user's message, a message of another channel, bad bodies, the wrong key.
    const theirs = await report({
      namespace: 'Email',
      id: SARAH,
      messageId: anaMessage,
      interaction: 'opened',
    });
    assert.equal(theirs.status, 404, 'Ana’s message is not Sarah’s to report');
    const bad = await report({
      namespace: 'Email',
      id: SARAH,
      messageId: sarahMessage,
      interaction: 'seen',
    });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /interaction/);
    const extra = await report({
      namespace: 'Email',
      id: SARAH,
      messageId: sarahMessage,
      interaction: 'opened',
      secret: 1,
    });
    assert.equal(extra.status, 400, 'unknown fields are refused');
    const viewer = await report(
      { namespace: 'Email', id: SARAH, messageId: sarahMessage, interaction: 'opened' },
      { authorization: `Bearer ${ROLE_KEYS.viewer}` },
    );
    assert.equal(viewer.status, 403, 'a key without events.ingest');
  } finally {
    await w.close();
  }
});
