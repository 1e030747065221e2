// Luma's LoyaltyService, bundled with the demo: POST {loyaltyId, orderValue} and get an offer and
// a promo code chosen by order value. A real HTTP server, also used by the tests.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoyaltyCall {
  readonly loyaltyId: unknown;
  readonly orderValue: unknown;
  readonly idempotencyKey: string | null;
  readonly at: number;
}

export interface LoyaltyService {
  readonly url: string;
  readonly calls: LoyaltyCall[];
  /** Makes the next `n` calls answer with this HTTP status (for error-path tests). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export function offerFor(
  loyaltyId: string,
  orderValue: number,
): { LoyaltyOffer: string; PromoCode: string } {
  const suffix = createHash('sha256')
    .update(`${loyaltyId}:${orderValue}`)
    .digest('hex')
    .slice(0, 6)
    .toUpperCase();
  if (orderValue >= 150)
    return { LoyaltyOffer: '20% off your next order', PromoCode: `LUMA20-${suffix}` };
  if (orderValue >= 50)
    return { LoyaltyOffer: '10% off your next order', PromoCode: `LUMA10-${suffix}` };
  return { LoyaltyOffer: 'Free shipping on your next order', PromoCode: `LUMASHIP-${suffix}` };
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error('request too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLoyaltyService(port = 0, host = '127.0.0.1'): Promise<LoyaltyService> {
  const calls: LoyaltyCall[] = [];
  let failures = 0;
  let failStatus = 500;
  const server: Server = createServer((req, res) => {
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || !req.url?.startsWith('/loyalty/offers'))
      return send(404, { error: 'not found' });
    body(req).then(
      (text) => {
        let parsed: { loyaltyId?: unknown; orderValue?: unknown };
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          return send(400, { error: 'body must be JSON' });
        }
        const key = req.headers['idempotency-key'];
        calls.push({
          loyaltyId: parsed.loyaltyId,
          orderValue: parsed.orderValue,
          idempotencyKey: typeof key === 'string' ? key : null,
          at: Date.now(),
        });
        if (failures > 0) {
          failures--;
          return send(failStatus, { error: 'loyalty system unavailable' });
        }
        if (typeof parsed.loyaltyId !== 'string' || typeof parsed.orderValue !== 'number')
          return send(400, { error: 'loyaltyId (string) and orderValue (number) are required' });
        send(200, offerFor(parsed.loyaltyId, parsed.orderValue));
      },
      () => send(413, { error: 'request too large' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/loyalty/offers`,
    calls,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
