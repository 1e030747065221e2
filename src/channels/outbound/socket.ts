import { connect, type Socket } from 'node:net';
import { checkDestination, guardedLookup, type OutboundPolicy } from './policy.ts';

/**
 * A TCP socket to host:port under the policy (SMTP): the host is checked, the name resolved and
 * its addresses checked when connecting, and the socket connects to a checked address. TLS, if
 * any, is layered on by the caller (SNI from the host name).
 */
export function connectGuarded(
  policy: OutboundPolicy,
  rawHost: string,
  port: number,
  timeoutMs: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const host = rawHost.replace(/^\[|\]$/g, '');
    try {
      checkDestination(policy, host, port);
    } catch (e) {
      reject(e);
      return;
    }
    const socket = connect({ host, port, lookup: guardedLookup(policy, port) });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error('connection timeout'), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
    socket.once('error', fail);
    function fail(e: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    }
  });
}
