import { OutboundRefusedError } from './policy.ts';

// What an outbound failure may say to an API caller: the policy's refusal, or a generic sentence.
// Never the network's own words ("connect ECONNREFUSED 127.0.0.1:5433", "getaddrinfo ENOTFOUND"),
// which would turn proofs and connection tests into a port scanner.

const TIMEOUT = new Set([
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEOUT',
]);

function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((e as { cause?: unknown }).cause);
}

/** True when `e` (or its cause) is a refusal by the outbound policy. */
export function isOutboundRefusal(e: unknown): e is OutboundRefusedError {
  if (e instanceof OutboundRefusedError) return true;
  return (
    typeof e === 'object' &&
    e !== null &&
    'cause' in e &&
    isOutboundRefusal((e as { cause?: unknown }).cause)
  );
}

/** A sentence about a failed connection to `what` ("the SMTP server") without network detail. */
export function publicReason(e: unknown, what: string): string {
  if (isOutboundRefusal(e)) {
    const refusal =
      e instanceof OutboundRefusedError ? e : (e as { cause: OutboundRefusedError }).cause;
    return refusal.message;
  }
  const code = codeOf(e);
  const name = e instanceof Error ? e.name : '';
  if ((code !== undefined && TIMEOUT.has(code)) || name === 'TimeoutError' || name === 'AbortError')
    return `${what} did not answer in time`;
  if (code !== undefined && /^ERR_TLS|^ERR_SSL|CERT|^ETLS$|^DEPTH_ZERO|^SELF_SIGNED/.test(code))
    return `the TLS connection to ${what} failed`;
  return `${what} could not be reached`;
}
