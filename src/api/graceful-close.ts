// Closing the API server without waiting out keep-alive connections. Fastify's close() (Node's
// server.close()) closes the connections idle at that moment, and answers requests that arrive
// afterwards with 503 and `Connection: close`. A request already in flight when close begins is
// answered on a connection that stays open for the next request, and nothing closes it once idle:
// close() then waited out the 72 s keep-alive timeout (`waymark serve` took 73.6 s to exit after
// SIGTERM, test/cli/serve-shutdown.test.ts). Here those answers say `Connection: close`, idle
// connections are closed as they become idle, and connections still busy after a grace period are cut.
import type { FastifyInstance } from 'fastify';

/** How long requests in flight when the server closes have to finish before their connections are cut. */
export const CLOSE_GRACE_MS = 5_000;

/** Answers sent once the server is closing tell the client not to reuse their connection. */
export function registerClosingConnections(f: FastifyInstance): void {
  let closing = false;
  f.addHook('preClose', async () => {
    closing = true;
  });
  f.addHook('onSend', async (_req, reply, payload) => {
    if (closing && !reply.raw.headersSent) void reply.header('connection', 'close');
    return payload;
  });
}

/**
 * Stops taking requests and resolves once every connection is closed: requests in flight are
 * answered (within `graceMs`, after which their connections are cut), idle keep-alive connections
 * are closed as soon as they are idle, not after the keep-alive timeout.
 */
export async function closeServer(f: FastifyInstance, graceMs = CLOSE_GRACE_MS): Promise<void> {
  const closed = f.close();
  // A connection counts as idle only once its last answer is finished: look again until all are gone.
  const reap = setInterval(() => f.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => f.server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(reap);
    clearTimeout(cut);
  }
}
