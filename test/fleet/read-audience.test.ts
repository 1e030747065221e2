// A read-audience journey in fleet mode: the job runs as one share per partition, each fired by
// the partition's owner, fenced by its lease. Two engines start the read, a third joins in the
// middle (partitions move with their shares half done): every member enters once, across the
// engines, and the fleet keeps to the journey's rate (the shares' turns interleave).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { dropRouteStream } from './fleet-harness.ts';
import { startTestEngine, startTestFleet, until, type TestEngine } from './in-process-fleet.ts';
import {
  goldEmails,
  openFleetReader,
  openFleetSetup,
  putGoldAudience,
  putGoldMembers,
} from './support/fleet-world.ts';

const MEMBERS = 800;
const RATE = 500;
const AUD = 'Gold members';

test(
  `fleet read-audience: ${MEMBERS} members at ${RATE}/s, an engine joining mid-run: each enters once`,
  { timeout: 120_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleetread');
    // The audience and its members, written before the fleet starts (one process, no leases).
    const setup = await openFleetSetup(schema);
    await putGoldAudience(setup, AUD);
    await putGoldMembers(setup, goldEmails(MEMBERS));
    await setup.journeys.create('prod', 'gold-read', {
      name: 'gold read',
      entry: { type: 'readAudience', audience: AUD, namespace: 'Email', ratePerSecond: RATE },
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    });
    await setup.close();
    let engines: TestEngine[] = [];
    const reader = await openFleetReader(schema);
    try {
      engines = await startTestFleet(POSTGRES_TEST_URL, schema, 2);
      await engines[0]!.app.journeys.publish('prod', 'gold-read');
      // Some way into the ~1.6 s read, a third engine joins and takes a third of the partitions.
      const before = await until(
        'the read under way',
        async () => {
          const n = (await reader.instances('prod', { journeyId: 'gold-read', limit: 5000 }))
            .length;
          return n >= 100 ? n : null;
        },
        30_000,
      );
      engines.push(await startTestEngine(POSTGRES_TEST_URL, schema, 'engine-c'));
      const all = await until(
        'every member entered',
        async () => {
          const got = await reader.instances('prod', { journeyId: 'gold-read', limit: 5000 });
          return got.length >= MEMBERS ? got : null;
        },
        60_000,
      );
      await sleep(1500); // anything entered twice would show by now
      const final = await reader.instances('prod', { journeyId: 'gold-read', limit: 5000 });
      assert.equal(final.length, MEMBERS, 'one instance per member, none twice');
      assert.equal(new Set(final.map((i) => i.profileId)).size, MEMBERS);
      assert.ok(
        before > 0 && before < MEMBERS,
        `the third engine joined mid-run (${before} entered before it)`,
      );
      assert.ok(engines[2]!.fleet.leases.held.size > 0, 'the third engine took partitions');
      // The fleet kept to the rate: MEMBERS at RATE/s take at least MEMBERS / RATE seconds.
      const at = all.map((i) => i.enteredAt).sort((x, y) => x - y);
      const span = at.at(-1)! - at[0]!;
      assert.ok(span >= (MEMBERS / RATE) * 1000 * 0.9, `the read took ${span} ms`);
      // Never ahead of the rate: by any instant t of the run, at most t × RATE members entered (the
      // shares' turns interleave). Shares paused by the handover catch up afterwards, as one reader
      // that fell behind does: entries may bunch, never run ahead of the allowance (a few of slack).
      for (let k = 0; k < at.length; k++)
        assert.ok(
          at[k]! - at[0]! >= ((k - 5) * 1000) / RATE,
          `entry ${k} came ${at[k]! - at[0]!} ms into the read, ahead of the rate`,
        );
      // Progress: the shares' entered counts add up to the members.
      const shares = (await reader.audienceJobs('prod')).filter((j) =>
        j.id.startsWith('read:gold-read:1:p'),
      );
      assert.equal(shares.length, 256, 'one share per partition');
      const entered = shares.reduce((s, j) => s + (j.state as { entered: number }).entered, 0);
      assert.equal(entered, MEMBERS);
    } finally {
      for (const e of engines) await e.stop();
      await reader.close();
      await dropRouteStream(schema);
      await dropSchema(schema);
    }
  },
);
