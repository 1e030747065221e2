// The contract every PushTransport keeps, run by each adapter's test against its local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PushMessage, PushTransport } from '../../src/channels/ports.ts';

export interface PushContractSetup {
  readonly transport: PushTransport;
  readonly platform: PushMessage['platform'];
  /** A token the server accepts. */
  readonly validToken: string;
  /** A token the server says is dead (unregistered). */
  readonly deadToken: string;
  /** A token the server answers with a rate limit or an outage. */
  readonly busyToken: string;
  /** What else a message to the token carries (a browser subscription's keys). */
  readonly extra?: (token: string) => Partial<PushMessage>;
}

export function runPushTransportContract(name: string, setup: () => PushContractSetup): void {
  const msg = (s: PushContractSetup, deviceToken: string, key: string): PushMessage => ({
    idempotencyKey: key,
    platform: s.platform,
    deviceToken,
    title: 'Contract',
    body: 'A push',
    data: { k: 'v' },
    ...s.extra?.(deviceToken),
  });

  test(`${name} contract: a valid token is sent with a provider message id`, async () => {
    const s = setup();
    const r = await s.transport.send(msg(s, s.validToken, 'contract-1'));
    assert.equal(r.kind, 'sent');
    assert.ok(r.kind === 'sent' && r.providerMessageId.length > 0);
  });

  test(`${name} contract: a dead token is reported as invalidToken (remove it)`, async () => {
    const s = setup();
    const r = await s.transport.send(msg(s, s.deadToken, 'contract-2'));
    assert.equal(r.kind, 'invalidToken');
  });

  test(`${name} contract: a busy provider is a temporary failure (retry later)`, async () => {
    const s = setup();
    const r = await s.transport.send(msg(s, s.busyToken, 'contract-3'));
    assert.equal(r.kind, 'temporaryFailure');
  });

  test(`${name} contract: close() is safe to repeat and a later send reconnects`, async () => {
    const s = setup();
    await s.transport.close();
    await s.transport.close();
    const r = await s.transport.send(msg(s, s.validToken, 'contract-4'));
    assert.equal(r.kind, 'sent');
  });
}
