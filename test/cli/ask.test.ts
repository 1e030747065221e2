// `waymark ask`: the Assistant's answer, its sources as links and the figures as a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerAskCommand } from '../../src/cli/commands/ask.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';
import { demoTraffic } from '../assistant/demo-traffic.ts';

test('waymark ask answers product and data questions, and continues a conversation', async () => {
  const w = await apiWorld();
  try {
    await demoTraffic(w, 30);
    const url = await w.listen();
    const waymark = cliRunner(url, registerAskCommand);
    const docs = await waymark('ask', 'How do I test a journey before publishing it?');
    assert.match(docs, /Test mode/);
    assert.match(docs, new RegExp(`${url}/docs/concepts/journeys\\.html#lifecycle`));
    assert.match(docs, /without a model/);

    const data = await waymark('ask', 'Which journey is the most used, and how is it performing?');
    assert.match(data, /Purchase Journey/);
    assert.match(data, /30 profiles entered/);
    assert.match(data, /Profiles entered per journey:\n {2}Purchase Journey +30 +█+/);
    assert.match(data, new RegExp(`${url}/journeys/purchase-journey/report`));
    const id = /--conversation ([0-9a-f-]{36})/.exec(data)?.[1];
    assert.ok(id);
    const follow = await waymark('ask', 'And how is it doing?', '--conversation', id, '--json');
    const parsed = JSON.parse(follow);
    assert.equal(parsed.conversationId, id);
    assert.match(parsed.answer, /Purchase Journey/);

    await assert.rejects(waymark('ask', 'hi', '--conversation', 'not-a-uuid'), /400/);
  } finally {
    await w.close();
  }
});
