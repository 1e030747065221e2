// "Use profile time zone": a campaign scheduled at 09:00 (Paris) reaches each profile at 09:00 in
// its own zone (an IANA name or a UTC offset in profile.timeZone; none: the campaign's zone), the
// profiles of one zone at the throttle's rate, nobody twice; it stays live until the last zone has
// run, and a stop cancels the zones not reached yet. Real SMTP on loopback, a virtual clock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MembershipRow, ProfileWrite } from '../../src/store/ports.ts';
import { T0 } from '../support/luma.ts';
import { addressOf, campaignWorld, emailContent, type CampaignWorld } from './support.ts';

const iso = (ms: number): string => new Date(ms).toISOString();
const RUN_AT = Date.parse('2026-11-03T08:00:00Z'); // 09:00 in Paris (CET)

/** Profile i's time zone (undefined: none on the profile). */
const ZONES: Array<string | undefined> = [
  'America/Los_Angeles',
  'Europe/Paris',
  'Europe/Paris',
  'Europe/Paris',
  'Asia/Tokyo',
  '+05:30',
  undefined,
];
/** 09:00 local on 3 November 2026 (Los Angeles is back on standard time since 1 November). */
const DUE: Record<string, string> = {
  'America/Los_Angeles': '2026-11-03T17:00:00.000Z',
  'Europe/Paris': '2026-11-03T08:00:00.000Z',
  'Asia/Tokyo': '2026-11-03T00:00:00.000Z',
  '+05:30': '2026-11-03T03:30:00.000Z',
};

async function seedZones(w: CampaignWorld): Promise<void> {
  const r = await w.request('POST', '/v1/audiences', {
    name: 'World shoppers',
    origin: 'uploaded',
    namespace: 'ECID',
  });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  const at = iso(T0);
  const profiles: ProfileWrite[] = [];
  const memberships: MembershipRow[] = [];
  for (const [i, zone] of ZONES.entries()) {
    const id = `p${String(i).padStart(5, '0')}`;
    profiles.push({
      sandbox: 'prod',
      id,
      attributes: {
        person: { name: { firstName: `Shopper ${i}` } },
        consents: { marketing: { email: 'y' } },
        personalEmail: { address: addressOf(i) },
        ...(zone ? { timeZone: zone } : {}),
      },
      testProfile: false,
      identities: [{ namespace: 'ECID', id: `ecid-${i}` }],
      createdAt: at,
      updatedAt: at,
    });
    memberships.push({
      sandbox: 'prod',
      profileId: id,
      audience: 'World shoppers',
      status: 'realized',
      realizedAt: T0,
      exitedAt: null,
    });
  }
  await w.store.commit({ profiles, memberships, messages: [] });
}

const morningMail = {
  id: 'good-morning',
  name: 'Good morning',
  type: 'scheduled',
  mode: 'marketing',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    content: emailContent('Good morning', '<p>It is nine o’clock where you are.</p>'),
  },
  audience: { audience: 'World shoppers', namespace: 'ECID' },
  schedule: { kind: 'at', at: iso(RUN_AT) },
  timeZone: 'Europe/Paris',
  useProfileTimeZone: true,
  throttle: { ratePerSecond: 1 },
};

/** Moves the clock to `until` in steps, noting when each recipient's mail first arrived. */
async function runUntil(
  w: CampaignWorld,
  until: number,
  stepMs: number,
  arrived: Map<string, number>,
): Promise<void> {
  while (w.clock.now() < until) {
    w.clock.advance(Math.min(stepMs, until - w.clock.now()));
    await w.app.engine.settle();
    for (const m of w.smtp.mails) if (!arrived.has(m.to)) arrived.set(m.to, w.clock.now());
  }
}

describe('campaigns in the profile time zone', () => {
  test('each profile gets the 09:00 mail at 09:00 in its zone, a zone at the throttle rate, nobody twice', async () => {
    const w = await campaignWorld();
    try {
      await seedZones(w);
      const created = await w.request('POST', '/v1/campaigns', morningMail);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.problems, []);
      const activated = await w.request('POST', '/v1/campaigns/good-morning/activate');
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      assert.equal(activated.body.status, 'scheduled');

      const arrived = new Map<string, number>();
      // 09:00 comes first in UTC+14:00, at 19:00 UTC the day before: nothing sent until Tokyo's 09:00.
      await runUntil(w, Date.parse(DUE['Asia/Tokyo']!) - 60_000, 15 * 60_000, arrived);
      assert.equal(w.smtp.mails.length, 0);
      assert.equal((await w.request('GET', '/v1/campaigns/good-morning')).body.status, 'live');

      // One-second steps around each zone's 09:00, quarter hours between.
      for (const due of [...new Set(Object.values(DUE))].sort()) {
        await runUntil(w, Date.parse(due) - 1000, 15 * 60_000, arrived);
        await runUntil(w, Date.parse(due) + 5000, 1000, arrived);
      }
      const sentAt = (i: number): string | undefined => {
        const t = arrived.get(addressOf(i));
        return t === undefined ? undefined : iso(t);
      };
      assert.equal(sentAt(0), DUE['America/Los_Angeles']);
      assert.equal(sentAt(4), DUE['Asia/Tokyo']);
      assert.equal(sentAt(5), DUE['+05:30']);
      // Paris: three profiles plus the one without a zone (the campaign's, Paris), one a second.
      const paris = [1, 2, 3, 6]
        .map((i) => arrived.get(addressOf(i))! - RUN_AT)
        .sort((a, b) => a - b);
      assert.deepEqual(paris, [0, 1000, 2000, 3000]);

      assert.equal(w.smtp.mails.length, 7);
      assert.ok(
        [...w.smtp.countsByRecipient().values()].every((n) => n === 1),
        'nobody twice',
      );
      const view = (await w.request('GET', '/v1/campaigns/good-morning')).body;
      assert.equal(view.status, 'completed', 'completed once the last zone has run');

      // A day later, nothing more.
      await runUntil(w, w.clock.now() + 86_400_000, 3_600_000, arrived);
      assert.equal(w.smtp.mails.length, 7);
      const report = (await w.request('GET', '/v1/campaigns/good-morning/report')).body;
      assert.equal(report.runs.length, 1);
      assert.equal(report.runs[0].scheduledAt, iso(RUN_AT));
      assert.deepEqual([report.totals.targeted, report.totals.sent], [7, 7]);
    } finally {
      await w.close();
    }
  });

  test('a stop cancels the zones not reached yet', async () => {
    const w = await campaignWorld();
    try {
      await seedZones(w);
      await w.request('POST', '/v1/campaigns', morningMail);
      const activated = await w.request('POST', '/v1/campaigns/good-morning/activate');
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      const arrived = new Map<string, number>();
      await runUntil(w, Date.parse(DUE['+05:30']!) + 60_000, 15 * 60_000, arrived);
      assert.deepEqual([...arrived.keys()].sort(), [addressOf(4), addressOf(5)]);
      const stopped = await w.request('POST', '/v1/campaigns/good-morning/stop');
      assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
      await runUntil(w, RUN_AT + 86_400_000, 3_600_000, arrived);
      assert.equal(w.smtp.mails.length, 2, 'Paris and Los Angeles get nothing after the stop');
      assert.equal((await w.request('GET', '/v1/campaigns/good-morning')).body.status, 'stopped');
    } finally {
      await w.close();
    }
  });
});
