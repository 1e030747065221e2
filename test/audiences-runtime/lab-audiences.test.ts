// The lab's three audiences as stored memberships: evaluated when profiles change, read by the
// Preferred Channel condition (inAudience) and by the order confirmation's banner variants.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import { compileMessage } from '../../src/content/index.ts';
import { cart, lumaEvent, lumaWorld, T0, type LumaWorld } from '../support/luma.ts';

const MOBILE = 'Luma - Mobile App Users';
const NOT_MOBILE = 'Not Luma Mobile App Users';
const BLUE = 'Luma - Blue Luma+ Members';

async function rows(
  w: LumaWorld,
  email: string,
): Promise<Record<string, { status: string; realizedAt: number | null; exitedAt: number | null }>> {
  const p = await w.app.profiles.get('prod', 'Email', email);
  const stored = await w.app.reads.profileMemberships('prod', p.id);
  return Object.fromEntries(
    stored.map((r) => [
      r.audience,
      { status: r.status, realizedAt: r.realizedAt, exitedAt: r.exitedAt },
    ]),
  );
}

const statuses = (r: Record<string, { status: string }>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.status]));

describe('the lab audiences, stored', () => {
  test('profiles applied with the package are members as their attributes say, with timestamps', async () => {
    const w = await lumaWorld();
    try {
      assert.deepEqual(statuses(await rows(w, 'sarah.miller@luma.example')), {
        [MOBILE]: 'realized',
        [BLUE]: 'realized',
      });
      assert.deepEqual(statuses(await rows(w, 'jean.dupont@luma.example')), {
        [NOT_MOBILE]: 'realized',
      });
      assert.deepEqual(statuses(await rows(w, 'tom.baker@luma.example')), {
        [NOT_MOBILE]: 'realized',
      });
      assert.equal((await rows(w, 'jean.dupont@luma.example'))[NOT_MOBILE]?.realizedAt, T0);

      // Jean installs the app: both memberships flip in the same update, stamped with its time.
      w.clock.advance(5_000);
      await w.app.profiles.put('prod', 'Email', 'jean.dupont@luma.example', {
        attributes: { mobileApp: { installed: true } },
        identities: [],
      });
      const jean = await rows(w, 'jean.dupont@luma.example');
      assert.deepEqual(jean[MOBILE], {
        status: 'realized',
        realizedAt: T0 + 5_000,
        exitedAt: null,
      });
      assert.deepEqual(jean[NOT_MOBILE], {
        status: 'exited',
        realizedAt: T0,
        exitedAt: T0 + 5_000,
      });
      const size = await w.app.audiences.size('prod', MOBILE);
      assert.equal(size.realized, 3, 'Ana, Sarah and now Jean');
    } finally {
      await w.close();
    }
  });

  test('the Preferred Channel condition reads the stored membership: app users get the push', async () => {
    const w = await lumaWorld();
    try {
      await w.app.profiles.put('prod', 'Email', 'jean.dupont@luma.example', {
        attributes: {
          mobileApp: { installed: true },
          pushNotificationDetails: [
            { appId: 'com.luma.dxdemoapp', platform: 'android', token: 'dev-token-jean' },
          ],
          consents: { marketing: { push: 'y' } },
        },
        identities: [],
      });
      const [a, b] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      ]);
      await w.advance(61_000);
      const id = (r: typeof a): string => (r?.status === 'accepted' ? r.profileId : '');
      const [jean] = await w.app.reads.messages('prod', { profileId: id(a), limit: 5 });
      const [tom] = await w.app.reads.messages('prod', { profileId: id(b), limit: 5 });
      assert.equal(jean?.label, 'Abandoned Cart Push');
      assert.equal(tom?.label, 'Abandoned Cart Email');
      const [inst] = await w.app.reads.instances('prod', { profileId: id(a), limit: 1 });
      assert.ok(
        inst!.path.some((p) => p.node === 'preferred-channel' || p.outcome === 'Push'),
        JSON.stringify(inst!.path),
      );
    } finally {
      await w.close();
    }
  });

  test('the confirmation banner variants read the memberships the message sender is given', async () => {
    const w = await lumaWorld();
    try {
      const { library, orderConfirmationEmail } = loadLumaContent();
      const compiled = await compileMessage(orderConfirmationEmail, library);
      if (!compiled.ok) assert.fail(JSON.stringify(compiled.diagnostics));
      const render = async (email: string): Promise<string> => {
        const profile = await w.app.profiles.get('prod', 'Email', email);
        // What Engine.runMessage passes to the sender: the stored memberships.
        const audiences = await w.app.engine.memberships('prod', profile);
        const o = compiled.message.render({
          profile: profile.attributes,
          context: {
            journey: {
              events: {},
              actions: { LoyaltyService: { PromoCode: 'P', LoyaltyOffer: 'O' } },
              technicalProperties: { journeyUID: 'j' },
            },
          },
          audiences,
          now: w.clock.now(),
        });
        if (!o.ok || o.channel !== 'email') return assert.fail('no email');
        return o.html;
      };
      assert.ok(
        (await render('tom.baker@luma.example')).includes('Get the Luma mobile app'),
        'Tom has no app: the app banner',
      );
      const sarah = await render('sarah.miller@luma.example');
      assert.ok(
        !sarah.includes('Get the Luma mobile app') && sarah.includes('Join Luma+'),
        'Sarah has the app: the Luma+ banner',
      );
      // Tom installs the app: the stored membership flips, and so does his banner.
      await w.app.profiles.put('prod', 'Email', 'tom.baker@luma.example', {
        attributes: { mobileApp: { installed: true } },
        identities: [],
      });
      assert.ok(!(await render('tom.baker@luma.example')).includes('Get the Luma mobile app'));
    } finally {
      await w.close();
    }
  });
});
