// One JetStream message turned into what the engine ingests: its sandbox (from the subject) and its
// raw events (from the body), with the event ids a redelivery must keep. No NATS client here: the
// message comes in as subject, bytes and header id.
import { findForbiddenKey, forbiddenKeyMessage } from '../shared/forbidden-keys.ts';
import { MAX_BODY_NESTING, scanJson } from '../shared/json-scan.ts';
import { sandboxNameSchema } from '../model/common.ts';

export interface IncomingMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** The producer's Nats-Msg-Id header, if it set one. */
  readonly msgId: string | undefined;
}

export type Decoded =
  | {
      readonly ok: true;
      readonly sandbox: string;
      readonly events: readonly unknown[];
      readonly problem: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * The sandbox a subject names: `<prefix>.<sandbox>`, one token that is a valid sandbox name; null
 * for anything else (no sandbox, more tokens, an invalid name).
 */
export function sandboxOfSubject(subject: string, prefix: string): string | null {
  if (!subject.startsWith(`${prefix}.`)) return null;
  const rest = subject.slice(prefix.length + 1);
  return sandboxNameSchema.safeParse(rest).success ? rest : null;
}

/**
 * Decodes a message. `idBase` names the message when the producer gave no id at all (the stream
 * and its sequence), so that a redelivered message keeps its event ids and the engine's
 * deduplication holds. A body that is not usable JSON is passed on as its text (with any NUL
 * replaced), which the engine dead-letters as "not a JSON object", keeping the body.
 */
export function decodeMessage(m: IncomingMessage, prefix: string, idBase: string): Decoded {
  const sandbox = sandboxOfSubject(m.subject, prefix);
  if (sandbox === null)
    return {
      ok: false,
      reason: `the subject "${m.subject}" names no sandbox: publish to ${prefix}.<sandbox> (lowercase letters, digits and -)`,
    };
  const text = new TextDecoder().decode(m.data);
  const parsed = parseBody(text);
  if (!parsed.ok)
    return {
      ok: true,
      sandbox,
      events: [text.replaceAll('\u0000', '\uFFFD')],
      problem: parsed.problem,
    };
  const body = parsed.body;
  // An empty array holds no event, but it was sent: the engine dead-letters it as "not an object".
  const list = Array.isArray(body) && body.length > 0 ? body : [body];
  const many = Array.isArray(body);
  const base = m.msgId !== undefined && m.msgId !== '' ? m.msgId : idBase;
  const events = list.map((e, i) => withId(e, many ? `${base}-${i}` : base));
  return { ok: true, sandbox, events, problem: null };
}

/**
 * The parsed body, or why it cannot be used: not JSON, a NUL (no text may hold one: PostgreSQL
 * cannot store it), nested deeper than the HTTP API accepts, a key no body may hold (`__proto__`).
 */
function parseBody(text: string): { ok: true; body: unknown } | { ok: false; problem: string } {
  if (text.includes('\u0000')) return { ok: false, problem: 'the body holds a NUL character' };
  const scan = scanJson(text);
  if (scan.nul) return { ok: false, problem: 'the body holds a NUL character (\\u0000)' };
  if (scan.depth > MAX_BODY_NESTING)
    return {
      ok: false,
      problem: `the body is nested ${scan.depth} levels deep (at most ${MAX_BODY_NESTING})`,
    };
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (e) {
    return { ok: false, problem: `the body is not JSON: ${(e as Error).message}` };
  }
  const forbidden = findForbiddenKey(body);
  return forbidden ? { ok: false, problem: forbiddenKeyMessage(forbidden) } : { ok: true, body };
}

/** The event with `id` set when it came without one; anything else as it is (the engine judges it). */
function withId(event: unknown, id: string): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  return (event as { id?: unknown }).id === undefined ? { ...event, id } : event;
}
