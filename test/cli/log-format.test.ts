// Logs of `waymark serve`: readable lines in a terminal, JSON lines otherwise, either forced on demand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logFormatOf, prettyLine } from '../../src/cli/log-format.ts';

describe('log format', () => {
  test('a terminal gets readable lines, a pipe JSON; --log-format (then WAYMARK_LOG_FORMAT) forces either; anything else is refused by name', () => {
    const saved = process.env.WAYMARK_LOG_FORMAT;
    try {
      delete process.env.WAYMARK_LOG_FORMAT;
      assert.equal(logFormatOf(undefined, true), 'pretty');
      assert.equal(logFormatOf(undefined, false), 'json');
      assert.equal(logFormatOf('json', true), 'json');
      assert.equal(logFormatOf('auto', false), 'json');
      process.env.WAYMARK_LOG_FORMAT = 'pretty';
      assert.equal(logFormatOf(undefined, false), 'pretty');
      assert.equal(logFormatOf('json', false), 'json', 'the flag wins over the environment');
      assert.throws(() => logFormatOf('xml', true), /pretty, json or auto, not "xml"/);
    } finally {
      if (saved === undefined) delete process.env.WAYMARK_LOG_FORMAT;
      else process.env.WAYMARK_LOG_FORMAT = saved;
    }
  });

  test('a pino line reads as time, level, message and its fields; text that is not JSON passes through', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.parse('2026-12-03T09:04:05.678Z'),
      pid: 1,
      hostname: 'h',
      msg: 'demo object failed to publish',
      object: { kind: 'journey', id: 'purchase-journey' },
      note: 'two words',
    });
    assert.equal(
      prettyLine(line, false),
      '09:04:05.678 WARN  demo object failed to publish object={"kind":"journey","id":"purchase-journey"} note="two words"\n',
    );
    assert.match(prettyLine(line, true), /\u001b\[33mWARN /);
    assert.equal(prettyLine('not json', false), 'not json\n');
  });
});
