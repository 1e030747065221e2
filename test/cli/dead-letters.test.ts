// `waymark dead-letters list|show|replay` against a real server: a refused event is listed with its
// reason, shown whole, and replayed once its event type accepts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerDeadLetterCommands } from '../../src/cli/commands/dead-letters.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('dead letters from the command line: the reason, the body, and a replay after the fix', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerDeadLetterCommands(program, out),
      () => w.app.engine.settle(),
    );
    assert.match(await run('dead-letters', 'list'), /no refused events/);

    // A checkout whose quantity is a string: refused by the event type's schema.
    const bad = {
      id: 'bad-qty-1',
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
        productListItems: [{ name: 'Watch', SKU: 'W1', quantity: 'two', priceTotal: 9 }],
      },
    };
    assert.equal((await w.request('POST', '/v1/events', bad)).status, 422);
    const list = await run('dead-letters', 'list');
    const id = /^\s*(\d+)\s/.exec(list)?.[1];
    assert.ok(id, list);
    assert.match(list, /LumaCheckoutEvent_Email\s+.*quantity/);
    const shown = JSON.parse(await run('dead-letters', 'show', id));
    assert.equal(shown.body.id, 'bad-qty-1');

    // The event type is widened to take a string quantity; the replay is accepted.
    const type = (await w.request('GET', '/v1/event-types/LumaCheckoutEvent_Email')).body.spec;
    const items = type.schema.properties.productListItems.items;
    items.properties.quantity = { type: ['integer', 'string'] };
    assert.equal(
      (await w.request('PUT', '/v1/event-types/LumaCheckoutEvent_Email', type)).status,
      200,
    );
    assert.match(await run('dead-letters', 'replay', id), /accepted/);
    assert.match(await run('dead-letters', 'list'), /no refused events/);
    assert.match(await run('dead-letters', 'list', '--all'), /\[replayed\]/);
  } finally {
    await w.close();
  }
});
