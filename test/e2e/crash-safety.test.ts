// Crash safety on both stores: a real server SIGKILLed three times under a steady stream of
// checkouts and purchases (bench/crash-safety.ts; `npm run bench` runs a larger one). Every event
// is processed once, every shopper leaves the journey one way, once; the LoyaltyService and the
// SMTP server see nothing twice except what the server resent after a crash cut the attempt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCrashSafety, type CrashSafetyFigures } from '../../bench/crash-safety.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

// Each restart's server loads its code while the one before runs (bench/warm-server.ts), so the
// run costs the servers' start-up work, the stream and one abandoned-cart timeout, little waiting.
const size = { shoppers: 30, kills: 3, timeoutSeconds: 3, batch: 3, pauseMs: 40 } as const;
const log = process.env['WAYMARK_CRASH_LOG'] ? (line: string): void => { process.stderr.write(`crash-safety: ${line}\n`); } : undefined;

function holds(f: CrashSafetyFigures): void {
  const detail = JSON.stringify(f);
  assert.equal(f.entered, f.shoppers, `every checkout entered the journey once: ${detail}`);
  assert.equal(f.lost, 0, `no shopper lost: ${detail}`);
  assert.equal(f.processedTwice, 0, `no message twice in the delivery log: ${detail}`);
  assert.equal(f.purchases, f.loyaltyKeys, detail);
  assert.equal(f.abandoned - f.purchasesAfterTimeout, f.shoppers - Math.ceil((2 * f.shoppers) / 3), `every shopper who did not buy got the abandoned-cart way: ${detail}`);
  assert.equal(f.timeouts, f.abandoned, `each abandoned cart's timer fired once: ${detail}`);
  assert.equal(f.loyaltyKeys, f.purchases, `the LoyaltyService saw one idempotency key per purchase: ${detail}`);
  assert.equal(f.mails - f.duplicates.email, f.sentMessages, `each sent message once on the wire, resends aside: ${detail}`);
  assert.equal(f.duplicatesOutsideWindow, 0, `nothing twice on the wire outside the crash window: ${detail}`);
}

// The two stores at once: each run spends most of its time waiting for restarts and the timeout.
describe('crash safety', { concurrency: 2 }, () => {
test('crash safety on SQLite: three SIGKILLs under a stream of checkouts and purchases', { timeout: 180_000 }, async () => {
  holds(await runCrashSafety({ ...size, store: { kind: 'sqlite' }, ...(log ? { log } : {}) }));
});

test('crash safety on PostgreSQL: three SIGKILLs under a stream of checkouts and purchases', { timeout: 180_000 }, async () => {
  const schema = freshSchemaName('waymark_crash');
  try {
    holds(await runCrashSafety({ ...size, store: { kind: 'postgres', url: POSTGRES_TEST_URL, schema }, ...(log ? { log } : {}) }));
  } finally {
    await dropSchema(schema);
  }
});
});
