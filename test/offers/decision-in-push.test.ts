// An offer decision in push content: an API-triggered push campaign whose body inserts the `decide`
// helper (what the push panel's "Offer decision" inserts) gives Ana and Sarah different offers, and
// the propositions are recorded with the message ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiWorld } from '../support/server.ts';
import { decisionSnippet } from '../../src/content/decisions.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

test('a push message renders a different offer per profile and records the propositions', async () => {
  const w = await apiWorld();
  try {
    const ok = async (method: 'POST' | 'PUT', url: string, body?: unknown) => {
      const r = await w.request(method, url, body);
      assert.ok(r.status < 300, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    await ok('POST', '/v1/placements', {
      id: 'push-line',
      name: 'Push line',
      channel: 'push',
      contentType: 'text',
    });
    const rep = (text: string) => [{ placement: 'push-line', text, link: 'luma://spring' }];
    await ok('POST', '/v1/offers', {
      id: 'ana-special',
      name: 'Ana special',
      status: 'approved',
      priority: 90,
      tags: ['push'],
      representations: rep('Ana, 30% off trail shoes'),
      eligibility: {
        rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} == "Ana"',
      },
    });
    await ok('POST', '/v1/offers', {
      id: 'everyone',
      name: 'Everyone',
      status: 'approved',
      priority: 10,
      tags: ['push'],
      representations: rep('10% off everything'),
    });
    await ok('POST', '/v1/decision-policies', {
      id: 'push-offer',
      name: 'Push offer',
      placement: 'push-line',
      strategies: [{ collection: { tags: { any: ['push'] } } }],
    });
    await ok('POST', '/v1/campaigns', {
      id: 'push-offers',
      name: 'Push offers',
      type: 'api-triggered',
      mode: 'transactional',
      namespace: 'Email',
      action: {
        channel: 'push',
        configuration: 'DXDemoApp',
        content: {
          title: 'Spring at Luma',
          body: `Hi {{profile.person.name.firstName}}: ${decisionSnippet('push-offer', 'text')}`,
        },
      },
    });
    await ok('POST', '/v1/campaigns/push-offers/activate');
    const shot = await w.request('POST', '/v1/campaigns/push-offers/trigger', {
      requestId: 'spring-push-1',
      recipients: [
        { identity: 'ana.garcia@luma.example' },
        { identity: 'sarah.miller@luma.example' },
      ],
      context: {},
    });
    assert.equal(shot.status, 202, JSON.stringify(shot.body));
    await w.advance(2000);
    const bodyTo = (token: string) =>
      until(() => {
        const p = w.providers.push.find((x) => x.deviceToken === token);
        return p === undefined ? undefined : JSON.stringify(p.payload);
      });
    const ana = await bodyTo('dev-token-ana');
    const sarah = await bodyTo('dev-token-sarah');
    assert.match(ana, /Hi Ana: Ana, 30% off trail shoes/);
    assert.doesNotMatch(ana, /10% off everything/);
    assert.match(sarah, /Hi Sarah: 10% off everything/);
    assert.doesNotMatch(sarah, /trail shoes/);

    const recorded = await w.request('GET', '/v1/propositions?policy=push-offer');
    const rows = recorded.body.items as { offerId: string; messageId: string | null }[];
    assert.deepEqual(rows.map((r) => r.offerId).sort(), ['ana-special', 'everyone']);
    assert.ok(
      rows.every((r) => typeof r.messageId === 'string' && r.messageId !== ''),
      'recorded with the message ids',
    );
  } finally {
    await w.close();
  }
});
