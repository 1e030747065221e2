import type { EmailSendResult } from '../ports.ts';
import { isOutboundRefusal, publicReason } from '../outbound/index.ts';
import { retryAfterOf } from '../outbound/retry-after.ts';

// How an email provider's HTTP API answer maps onto the port's results, the same for every API:
// 429 and 5xx are temporary (the provider's Retry-After kept), a refused or failed connection is
// temporary, an outbound policy refusal and any other 4xx (a bad key, a refused request) are
// permanent failures of the configuration, never a bounce: a recipient is marked undeliverable
// only by what the provider says about the recipient (its webhooks, src/channels/email/webhooks).

/** The result of a request that got no answer. */
export function unansweredEmail(e: unknown, what: string): EmailSendResult {
  if (isOutboundRefusal(e)) return { kind: 'failed', message: publicReason(e, what) };
  return { kind: 'temporaryFailure', message: publicReason(e, what) };
}

/** The result of an answer that is not a success. */
export function refusedEmail(
  res: { readonly status: number; readonly headers: Headers },
  message: string,
): EmailSendResult {
  const status = res.status;
  if (status === 429 || status >= 500) {
    return {
      kind: 'temporaryFailure',
      code: status,
      message: `HTTP ${status}: ${message}`,
      ...retryAfterOf(res.headers),
    };
  }
  return { kind: 'failed', message: `HTTP ${status}: ${message}` };
}

/** The provider's words of an error answer, short (never the request, which holds the key). */
export function answerText(body: string, pick: (json: unknown) => string | undefined): string {
  try {
    const words = pick(JSON.parse(body) as unknown);
    if (words !== undefined && words !== '') return words.slice(0, 500);
  } catch {
    /* not JSON: the text itself */
  }
  return body.trim().slice(0, 200) || 'no answer text';
}
