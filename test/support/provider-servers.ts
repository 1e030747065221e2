// Local servers speaking email and SMS providers' real HTTP APIs on loopback: SendGrid's v3 Mail
// Send, Mailgun's Messages API and Vonage's SMS API. Each checks the credentials and the request's
// format the way the provider does and answers with the provider's own shapes and status codes; a
// test can make the next answers fail (`failNext`) with the provider's error for that status.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface ProviderServer {
  readonly url: string;
  readonly received: Received[];
  /** The next `times` requests get this status with the provider's error body (and Retry-After for 429). */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

type Handler = (
  req: Received & { method: string },
  answer: (status: number, body: unknown, headers?: Record<string, string>) => void,
  failing: number | null,
) => void | Promise<void>;

async function serve(handler: Handler): Promise<ProviderServer> {
  const received: Received[] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res
          .writeHead(status, {
            'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
            ...headers,
          })
          .end(text);
      };
      received.push(r);
      void handler(r, answer, failures.shift() ?? null);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------

let sgSeq = 0;

/** SendGrid v3: POST /v3/mail/send, Bearer key, JSON; 202 with X-Message-Id. */
export function startSendgridServer(apiKey: string): Promise<ProviderServer> {
  const error = (message: string, field: string | null = null) => ({
    errors: [{ message, field, help: null }],
  });
  return serve((r, answer, failing) => {
    if (r.method !== 'POST' || r.path !== '/v3/mail/send') return answer(404, error('Not Found'));
    if (r.headers.authorization !== `Bearer ${apiKey}`)
      return answer(401, error('The provided authorization grant is invalid, expired, or revoked'));
    if (failing === 429) return answer(429, error('too many requests'), { 'retry-after': '7' });
    if (failing !== null) return answer(failing, error('internal error'));
    if (!String(r.headers['content-type']).startsWith('application/json'))
      return answer(415, error('Content-Type should be application/json.'));
    let body: {
      personalizations?: Array<{ to?: Array<{ email?: string }> }>;
      from?: { email?: string };
      subject?: string;
      content?: Array<{ type?: string; value?: string }>;
    };
    try {
      body = JSON.parse(r.body) as typeof body;
    } catch {
      return answer(400, error('Bad Request', null));
    }
    const to = body.personalizations?.[0]?.to?.[0]?.email;
    if (typeof to !== 'string' || !to.includes('@'))
      return answer(
        400,
        error('Does not contain a valid address.', 'personalizations.0.to.0.email'),
      );
    if (typeof body.from?.email !== 'string')
      return answer(400, error('The from object must be provided for every email send.', 'from'));
    if (!body.subject) return answer(400, error('The subject is required.', 'subject'));
    const types = (body.content ?? []).map((c) => c.type);
    if (types.length === 0 || (types.includes('text/plain') && types[0] !== 'text/plain'))
      return answer(
        400,
        error(
          'If present, text/plain content must be first, followed by any other content.',
          'content',
        ),
      );
    return answer(202, '', { 'x-message-id': `SG${String(++sgSeq).padStart(6, '0')}xYzAbC` });
  });
}

/** Mailgun: POST /v3/{domain}/messages, basic auth api:key, multipart/form-data; 200 {id, message}. */
export function startMailgunServer(apiKey: string, domain: string): Promise<ProviderServer> {
  let seq = 0;
  return serve(async (r, answer, failing) => {
    if (r.method !== 'POST' || r.path !== `/v3/${domain}/messages`)
      return answer(404, { message: 'Domain not found' });
    if (r.headers.authorization !== `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`)
      return answer(401, 'Forbidden');
    if (failing === 429)
      return answer(429, { message: 'Too many requests' }, { 'retry-after': '3' });
    if (failing !== null) return answer(failing, { message: 'Internal Server Error' });
    const type = String(r.headers['content-type']);
    if (!type.startsWith('multipart/form-data'))
      return answer(400, { message: "'from' parameter is missing" });
    // A real multipart parser (undici's), as the provider's would be.
    const form = await new Request('http://mailgun.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: r.body,
    }).formData();
    for (const field of ['from', 'to', 'subject'])
      if (!form.get(field)) return answer(400, { message: `'${field}' parameter is missing` });
    if (!form.get('html') && !form.get('text'))
      return answer(400, { message: "Need at least one of 'text' or 'html' parameters specified" });
    if (!/@/.test(String(form.get('to'))))
      return answer(400, {
        message: "'to' parameter is not a valid address. please check documentation",
      });
    return answer(200, {
      id: `<20261204${String(++seq).padStart(6, '0')}.1@${domain}>`,
      message: 'Queued. Thank you.',
    });
  });
}

/** Vonage SMS: POST /sms/json, form with api_key/api_secret; HTTP 200 with a status per message. */
export function startVonageServer(apiKey: string, apiSecret: string): Promise<ProviderServer> {
  let seq = 0;
  return serve((r, answer, failing) => {
    if (r.method !== 'POST' || r.path !== '/sms/json') return answer(404, 'Not Found');
    if (failing !== null && failing >= 429)
      return answer(failing, failing === 429 ? 'Too Many Requests' : 'Server Error');
    const form = new URLSearchParams(r.body);
    const one = (status: string, extra: Record<string, string> = {}) =>
      answer(200, {
        'message-count': '1',
        messages: [{ to: form.get('to') ?? '', status, ...extra }],
      });
    if (!form.get('api_key') || !form.get('api_secret') || !form.get('to') || !form.get('from'))
      return one('2', { 'error-text': 'Missing api_key' });
    if (form.get('api_key') !== apiKey || form.get('api_secret') !== apiSecret)
      return one('4', { 'error-text': 'Bad Credentials' });
    if (failing === 1)
      return one('1', { 'error-text': 'Throughput Rate Exceeded - please wait [ 30 ] and retry' });
    if (!/^[1-9]\d{6,14}$/.test(form.get('to') ?? ''))
      return one('6', { 'error-text': 'Invalid Message' });
    return one('0', {
      'message-id': `1A0000000${String(++seq).padStart(6, '0')}`,
      'remaining-balance': '3.14159265',
      'message-price': '0.03330000',
      network: '12345',
      ...(form.get('client-ref') ? { 'client-ref': form.get('client-ref')! } : {}),
    });
  });
}
