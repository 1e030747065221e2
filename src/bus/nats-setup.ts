// The stream and the durable pull consumer the ingest reads: created when missing, left as they
// are when they exist (operators may have tuned retention, replicas or limits).
import {
  AckPolicy,
  DeliverPolicy,
  nanos,
  type JetStreamManager,
  type NatsError,
  type StreamInfo,
} from 'nats';

/** JetStream's error codes for a stream or consumer that does not exist. */
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

/** How long the server waits for an ack before it delivers a message again (a batch commits well within it). */
export const ACK_WAIT_MS = 60_000;

const isApiError = (e: unknown, code: number): boolean =>
  (e as NatsError | undefined)?.api_error?.err_code === code;

/** The subjects the stream is created with: the bare prefix too, so that a message sent there is seen and refused, not dropped. */
export const streamSubjects = (prefix: string): string[] => [prefix, `${prefix}.>`];

export async function ensureStream(
  jsm: JetStreamManager,
  stream: string,
  prefix: string,
): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(stream);
  } catch (e) {
    if (!isApiError(e, STREAM_NOT_FOUND)) throw e;
  }
  try {
    return await jsm.streams.add({ name: stream, subjects: streamSubjects(prefix) });
  } catch (e) {
    // Another process created it in between: use theirs.
    if (isApiError(e, 10058 /* stream name already in use */)) return jsm.streams.info(stream);
    throw e;
  }
}

/**
 * The durable pull consumer with explicit acks. With a stream of its own (only the prefix's
 * subjects) it reads everything; on a stream that carries other subjects too, it filters on
 * `<prefix>.>` (one filter: servers before 2.10 take no more).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: StreamInfo,
  durable: string,
  prefix: string,
): Promise<void> {
  try {
    await jsm.consumers.info(stream.config.name, durable);
    return;
  } catch (e) {
    if (!isApiError(e, CONSUMER_NOT_FOUND)) throw e;
  }
  const ours = (stream.config.subjects ?? []).every(
    (s) => s === prefix || s.startsWith(`${prefix}.`),
  );
  await jsm.consumers.add(stream.config.name, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    // Never give up on a message: while the store is down, messages wait in the stream.
    max_deliver: -1,
    ...(ours ? {} : { filter_subject: `${prefix}.>` }),
  });
}
