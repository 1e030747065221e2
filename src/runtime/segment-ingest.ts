// Segment-spec calls received at /v1/segment/*: each message is checked first (a batch with one bad
// message is refused whole, with that message's path, and nothing is written), then planned by
// its source's mapping (src/segment/map.ts) and applied in order: profile updates through the
// profile service, events through the same ingest as POST /v1/events (the router in a fleet).
// Events the ingest refuses are dead letters with the reason, as for any other source.
import { randomUUID } from 'node:crypto';
import { ErrorCode, WaymarkError, type ErrorIssue } from '../errors.ts';
import { segmentSourceSchema, type SegmentSource } from '../model/segment-source.ts';
import { planSegmentMessage, type SegmentEvent, type SegmentStep } from '../segment/map.ts';
import {
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  isSegmentCall,
  segmentMessageSchemas,
  type SegmentCall,
  type SegmentMessage,
} from '../segment/messages.ts';
import type { Waymark } from './app.ts';
import { observedIngest } from './observability/instrument.ts';

/** One message's outcome, in the order of the request. */
export interface SegmentResult {
  readonly messageId: string;
  readonly type: SegmentCall;
  /** accepted: written; duplicate: the same event again; ignored: nothing to do (reason); rejected: a dead letter (reason). */
  readonly status: 'accepted' | 'duplicate' | 'ignored' | 'rejected';
  readonly reason?: string;
}

export interface SegmentAnswer {
  readonly success: true;
  readonly source: string;
  readonly results: readonly SegmentResult[];
}

const MAX_BATCH_MESSAGES = 2_500;

const bad = (message: string, issues: ErrorIssue[]): WaymarkError =>
  new WaymarkError(ErrorCode.BadRequest, message, { issues });

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

/** The messages of a request: one call's body, or a batch's `batch` array. */
function messagesOf(call: SegmentCall | 'batch', body: unknown): SegmentMessage[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw bad('a Segment call is a JSON object', [
      { path: 'body', message: 'expected an object', expected: 'object', received: typeName(body) },
    ]);
  const raw =
    call === 'batch'
      ? (body as { batch?: unknown }).batch
      : [{ ...(body as Record<string, unknown>), type: call }];
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_BATCH_MESSAGES)
    throw bad(`a batch holds 1 to ${MAX_BATCH_MESSAGES} messages`, [
      {
        path: 'body.batch',
        message: 'expected a non-empty array of messages',
        expected: `array of 1..${MAX_BATCH_MESSAGES}`,
        received: Array.isArray(raw) ? `${raw.length} messages` : typeName(raw),
      },
    ]);
  if (Buffer.byteLength(JSON.stringify(raw)) > MAX_BATCH_BYTES)
    throw bad('a batch is at most 500 KB', [
      { path: 'body.batch', message: 'too large', expected: '<= 500 KB', received: 'more' },
    ]);
  const issues: ErrorIssue[] = [];
  const messages: SegmentMessage[] = [];
  raw.forEach((m, i) => {
    const at = call === 'batch' ? `body.batch[${i}]` : 'body';
    const type = (m as { type?: unknown } | null)?.type;
    if (!isSegmentCall(type)) {
      issues.push({
        path: `${at}.type`,
        message: 'unknown call type',
        expected: 'track | identify | page | screen | alias | group',
        received: JSON.stringify(type) ?? 'undefined',
      });
      return;
    }
    if (Buffer.byteLength(JSON.stringify(m)) > MAX_MESSAGE_BYTES) {
      issues.push({
        path: at,
        message: 'a message is at most 32 KB',
        expected: '<= 32 KB',
        received: 'more',
      });
      return;
    }
    const parsed = segmentMessageSchemas[type].safeParse(m);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({
          path: [at, ...issue.path.map(String)].join('.'),
          message: issue.message,
        });
      return;
    }
    messages.push({ ...parsed.data, type } as SegmentMessage);
  });
  if (issues.length > 0)
    throw bad(
      `${issues.length} invalid message${issues.length === 1 ? '' : 's'}: nothing was written`,
      issues,
    );
  return messages;
}

export class SegmentIngest {
  constructor(private readonly app: Waymark) {}

  /** The source of a write key: the one that names the key, else the one that names none. */
  async sourceFor(sandbox: string, keyName: string): Promise<SegmentSource> {
    const sources = (await this.app.objects.list(sandbox, 'segmentSource')).map((o) =>
      segmentSourceSchema.parse(o.body),
    );
    const own = sources.find((s) => s.apiKeys?.includes(keyName));
    const open = sources.filter((s) => s.apiKeys === undefined);
    const found = own ?? (open.length === 1 ? open[0] : undefined);
    if (found) return found;
    throw new WaymarkError(
      ErrorCode.BadRequest,
      sources.length === 0
        ? `sandbox "${sandbox}" has no Segment source: create one (POST /v1/segment-sources) to say how calls map to events and profiles`
        : `no Segment source of sandbox "${sandbox}" is for the API key "${keyName}": name it in a source's apiKeys`,
      {
        issues: [
          {
            path: 'authorization',
            message: 'no source for this write key',
            expected: 'a source naming the key, or exactly one source naming none',
            received: keyName,
          },
        ],
      },
    );
  }

  async receive(
    sandbox: string,
    keyName: string,
    call: SegmentCall | 'batch',
    body: unknown,
  ): Promise<SegmentAnswer> {
    const messages = messagesOf(call, body);
    const source = await this.sourceFor(sandbox, keyName);
    const issues: ErrorIssue[] = [];
    const planned: Array<{ messageId: string; type: SegmentCall; steps: readonly SegmentStep[] }> =
      [];
    messages.forEach((m, i) => {
      const messageId = m.messageId ?? randomUUID();
      const plan = planSegmentMessage(source, m, messageId);
      if (plan.ok) planned.push({ messageId, type: m.type, steps: plan.steps });
      else
        issues.push({
          path: `${call === 'batch' ? `body.batch[${i}]` : 'body'}.${plan.path}`,
          message: plan.message,
        });
    });
    if (issues.length > 0)
      throw bad(
        `${issues.length} message${issues.length === 1 ? '' : 's'} cannot be mapped: nothing was written`,
        issues,
      );
    const results = await this.apply(sandbox, planned);
    return { success: true, source: source.id, results };
  }

  /**
   * The steps in order. Events between two profile updates go to the ingest together (a batch of
   * tracks is one ingest call); a profile update waits for the events before it.
   */
  private async apply(
    sandbox: string,
    planned: ReadonlyArray<{ messageId: string; type: SegmentCall; steps: readonly SegmentStep[] }>,
  ): Promise<SegmentResult[]> {
    const results: SegmentResult[] = planned.map((p) => ({
      messageId: p.messageId,
      type: p.type,
      status: 'accepted',
    }));
    let pending: Array<{ at: number; event: SegmentEvent }> = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      const answers = await this.ingest(
        sandbox,
        batch.map((b) => b.event),
      );
      batch.forEach((b, i) => {
        results[b.at] = { ...results[b.at]!, ...answers[i]! };
      });
    };
    for (const [at, p] of planned.entries())
      for (const step of p.steps) {
        switch (step.kind) {
          case 'profile':
            await flush();
            await this.app.profiles.put(sandbox, step.namespace, step.id, step.update);
            break;
          case 'event':
            pending.push({ at, event: step.event });
            break;
          case 'ignored':
            results[at] = { ...results[at]!, status: 'ignored', reason: step.reason };
            break;
          default: {
            const never: never = step;
            throw new Error(`unknown step ${String(never)}`);
          }
        }
      }
    await flush();
    return results;
  }

  private async ingest(
    sandbox: string,
    events: readonly SegmentEvent[],
  ): Promise<Array<Pick<SegmentResult, 'status' | 'reason'>>> {
    const app = this.app;
    const answers = await observedIngest(
      app.observability,
      sandbox,
      'segment',
      events.length,
      () => (app.router ? app.router.ingest(sandbox, events) : app.engine.ingest(sandbox, events)),
    );
    return events.map((_, i) => {
      const r = answers[i];
      switch (r?.status) {
        case 'accepted':
        case 'routed':
          return { status: 'accepted' };
        case 'duplicate':
          return { status: 'duplicate' };
        case 'rejected':
        case 'conflict':
          return { status: 'rejected', reason: r.message };
        default:
          return { status: 'rejected', reason: 'the ingest gave no answer' };
      }
    });
  }
}
