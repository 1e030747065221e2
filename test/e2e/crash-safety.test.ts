// Crash safety on both stores: a real server SIGKILLed under a steady stream of checkouts and
// purchases (bench/crash-safety.ts; `npm run bench` runs a larger one). Every event is processed
// once, every shopper leaves the journey one way, once; every timer fires once; the
// LoyaltyService and the SMTP server see nothing twice except what the server resent after a
// crash cut the attempt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crashInvariants, runCrashSafety, type CrashSafetyFigures } from '../../bench/crash-safety.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

// Each restart's server loads its code while the one before runs (bench/warm-server.ts), so a run
// costs the servers' start-up work, the stream and one 3 s abandoned-cart timeout, little waiting.
const size = { shoppers: 30, kills: 2, timeoutSeconds: 3, batch: 3, pauseMs: 40 } as const;
const log = process.env['WAYMARK_CRASH_LOG'] ? (line: string): void => { process.stderr.write(`crash-safety: ${line}\n`); } : undefined;

function holds(f: CrashSafetyFigures): void {
  assert.equal(f.kills, size.kills);
  for (const { rule, holds: held } of crashInvariants(f)) assert.ok(held, `${rule}: ${JSON.stringify(f)}`);
}

// The two stores at once: most of each run is its servers starting, which the other overlaps.
describe('crash safety', { concurrency: 2 }, () => {
  test('crash safety on SQLite: SIGKILLs under a stream of checkouts and purchases', { timeout: 240_000 }, async () => {
    holds(await runCrashSafety({ ...size, store: { kind: 'sqlite' }, ...(log ? { log } : {}) }));
  });

  test('crash safety on PostgreSQL: SIGKILLs under a stream of checkouts and purchases', { timeout: 240_000 }, async () => {
    const schema = freshSchemaName('waymark_crash');
    try {
      holds(await runCrashSafety({ ...size, store: { kind: 'postgres', url: POSTGRES_TEST_URL, schema }, ...(log ? { log } : {}) }));
    } finally {
      await dropSchema(schema);
    }
  });
});
