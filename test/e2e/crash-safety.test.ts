// Crash safety on both stores: a real server SIGKILLed under a steady stream of checkouts and
// purchases (bench/crash-safety.ts; `npm run bench` runs a larger one). Every event is processed
// once, every shopper leaves the journey one way, once; every timer fires once; the
// LoyaltyService and the SMTP server see nothing twice except what the server resent after a
// crash cut the attempt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  crashInvariants,
  runCrashSafety,
  type CrashSafetyFigures,
} from '../../bench/crash-safety.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

// Each restart's server loads its code while the one before runs (bench/warm-server.ts), so a run
// costs the servers' start-up work, the stream and one 3 s abandoned-cart timeout, little waiting.
const size = { shoppers: 30, kills: 2, timeoutSeconds: 3, batch: 3, pauseMs: 40 } as const;
const log = process.env['WAYMARK_CRASH_LOG']
  ? (line: string): void => {
      process.stderr.write(`crash-safety: ${line}\n`);
    }
  : undefined;

function holds(f: CrashSafetyFigures): void {
  assert.equal(f.kills, size.kills);
  for (const { rule, holds: held } of crashInvariants(f))
    assert.ok(held, `${rule}: ${JSON.stringify(f)}`);
}

// The two stores at once: most of each run is its servers starting, which the other overlaps.
describe('crash safety', { concurrency: 2 }, () => {
  test(
    'crash safety on SQLite: SIGKILLs under a stream of checkouts and purchases',
    { timeout: 240_000 },
    async () => {
      holds(await runCrashSafety({ ...size, store: { kind: 'sqlite' }, ...(log ? { log } : {}) }));
    },
  );

  test(
    'crash safety on PostgreSQL: SIGKILLs under a stream of checkouts and purchases',
    { timeout: 240_000 },
    async () => {
      const schema = freshSchemaName('waymark_crash');
      try {
        holds(
          await runCrashSafety({
            ...size,
            store: { kind: 'postgres', url: POSTGRES_TEST_URL, schema },
            ...(log ? { log } : {}),
          }),
        );
      } finally {
        await dropSchema(schema);
      }
    },
  );
});

// The rules above are one list (bench/crash-safety.ts, also counted by `npm run bench`): each one
// is broken by the fault it names, so none of them holds vacuously.
describe('crash-safety rules', () => {
  const healthy: CrashSafetyFigures = {
    store: 'sqlite',
    shoppers: 30,
    events: 50,
    kills: 2,
    entered: 30,
    purchases: 20,
    abandoned: 11,
    purchasesAfterTimeout: 1,
    timeouts: 11,
    loyaltyCalls: 21,
    loyaltyKeys: 20,
    mails: 21,
    sentMessages: 20,
    duplicates: { loyalty: 1, email: 1 },
    duplicatesOutsideWindow: 0,
    resentAfterCrash: 2,
    lost: 0,
    processedTwice: 0,
    seconds: 20,
  };
  const broken = (f: CrashSafetyFigures): string[] =>
    crashInvariants(f)
      .filter((r) => !r.holds)
      .map((r) => r.rule);

  test('a run where every shopper went one way once, with flagged resends only, breaks no rule', () => {
    assert.deepEqual(broken(healthy), []);
  });

  test('each fault breaks the rule that names it', () => {
    const faults: Array<[string, Partial<CrashSafetyFigures>]> = [
      ['every checkout entered the journey once', { entered: 31 }],
      ['no shopper lost (each has a way out of the journey)', { lost: 1 }],
      ['no message twice in the delivery log', { processedTwice: 1 }],
      ['every shopper who did not buy got the abandoned-cart way', { abandoned: 10, timeouts: 10 }],
      ["each abandoned cart's timer fired once", { timeouts: 12 }],
      ['the LoyaltyService saw one idempotency key per purchase', { loyaltyKeys: 21 }],
      ['each sent message once on the wire, resends aside', { mails: 22 }],
      ['nothing twice on the wire outside the crash window', { duplicatesOutsideWindow: 1 }],
    ];
    for (const [rule, fault] of faults)
      assert.deepEqual(broken({ ...healthy, ...fault }), [rule], JSON.stringify(fault));
  });
});
