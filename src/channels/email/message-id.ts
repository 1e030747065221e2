import { createHash } from 'node:crypto';

/** A stable Message-ID for an idempotency key: a retried send carries the same id. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const id = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `<${id}@${domain.toLowerCase()}>`;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? 'localhost' : address.slice(at + 1);
}

/** RFC 2369 + RFC 8058 one-click unsubscribe headers. */
export function listUnsubscribeHeaders(url: string, mailto?: string): Record<string, string> {
  const targets = [
    `<${url}>`,
    ...(mailto === undefined ? [] : [`<mailto:${mailto}?subject=unsubscribe>`]),
  ];
  return {
    'List-Unsubscribe': targets.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
