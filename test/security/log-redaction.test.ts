// Secrets never reach a log: a module logs through the one Logger seam, and the Logger made from
// the server's pino logger replaces every secret-named field, at any depth, before pino writes it.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { pinoLogger, REDACTED } from '../../src/shared/logger.ts';

function capture(): { lines: () => Array<Record<string, unknown>>; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

test('a warning that carries headers, a password and tokens is written with them redacted', () => {
  const out = capture();
  const log = pinoLogger(pino({ level: 'info' }, out.stream));
  log('warn', 'custom action call failed', {
    action: 'LoyaltyService',
    headers: {
      Authorization: 'Bearer wmk_live_9f8e7d',
      'X-Api-Key': 'k-123456',
      accept: 'application/json',
    },
    attempts: [{ password: 'hunter2', user: 'ada' }],
    client_secret: 'cs-abcdef',
    refreshToken: 'rt-000111',
  });
  const [line] = out.lines();
  assert.ok(line);
  const text = JSON.stringify(line);
  for (const secret of ['wmk_live_9f8e7d', 'k-123456', 'hunter2', 'cs-abcdef', 'rt-000111'])
    assert.ok(!text.includes(secret), `${secret} was logged: ${text}`);
  assert.equal(line.msg, 'custom action call failed');
  assert.equal(line.level, 40);
  assert.deepEqual(line.headers, {
    Authorization: REDACTED,
    'X-Api-Key': REDACTED,
    accept: 'application/json',
  });
  assert.deepEqual(line.attempts, [{ password: REDACTED, user: 'ada' }]);
  assert.equal(line.action, 'LoyaltyService');
});

test('an error in the details is logged as its name and message, not as an empty object', () => {
  const out = capture();
  pinoLogger(pino({ level: 'info' }, out.stream))('error', 'engine tick failed', {
    cause: new TypeError('bad row'),
  });
  assert.deepEqual(out.lines()[0]?.cause, { name: 'TypeError', message: 'bad row' });
});
