// GET /v1/status and `waymark status`: what waits in the sandbox moves as the journey runs (a
// checkout leaves a timeout; its due time passes; a refused event is a dead letter), per sandbox.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerStatusCommand } from '../../src/cli/commands/status.ts';
import { cliRunner } from '../support/cli.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { ADMIN_KEY, apiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

test('the status shows due timers, the earliest timer, retries and dead letters of the sandbox; the CLI prints it', async () => {
  const w = await apiWorld();
  await createSandbox(w, 'dev');
  try {
    let status = (await w.request('GET', '/v1/status')).body;
    assert.equal(status.sandbox, 'prod');
    assert.equal(status.store, null, 'a server built without a node report says so');
    assert.deepEqual(status.ingest, { nats: null });
    assert.equal(typeof status.version, 'string');
    assert.deepEqual(
      { ...status.backlog, nextTimerAt: null },
      {
        timersDue: 0,
        nextTimerAt: null,
        outboxDue: 0,
        outboxRetrying: 0,
        deadLetters: 0,
        cap: 100_000,
      },
    );

    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'status@luma.example', cart, 'status-1')]);
    assert.equal(
      (
        await w.request('POST', '/v1/events', {
          id: 'status-bad',
          type: 'LumaCheckoutEvent_Email',
          payload: {},
        })
      ).status,
      422,
    );
    status = (await w.request('GET', '/v1/status')).body;
    const earliest = Date.parse(status.backlog.nextTimerAt);
    assert.ok(earliest > w.clock.now(), 'the purchase timeout is ahead');
    assert.deepEqual([status.backlog.timersDue, status.backlog.deadLetters], [0, 1]);
    assert.equal(
      (await w.request('GET', '/v1/status', undefined, { 'x-sandbox-name': 'dev' })).body.backlog
        .deadLetters,
      0,
      'per sandbox',
    );

    // Past the timeout, before the engine has fired it: one timer due (late).
    w.clock.set(earliest + 1);
    assert.equal(
      (
        await w.server.inject({
          method: 'GET',
          url: '/v1/status',
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        })
      ).json().backlog.timersDue,
      1,
      'w.request would settle the engine first',
    );

    const run = cliRunner(await w.listen(), (program, out) => registerStatusCommand(program, out));
    const printed = await run('status');
    assert.match(printed, /^Waymark \S+, up \d+ s/);
    assert.match(printed, /store: not reported/);
    assert.match(printed, /NATS ingest: off/);
    assert.match(printed, /timers due now\s+1\s+\(earliest /);
    assert.match(printed, /dead letters\s+1\s+\(waymark dead-letters list\)/);
  } finally {
    await w.close();
  }
});
