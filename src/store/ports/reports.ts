// Reports: counters, the delivery log (messages), instance lists and timelines.
import type { InstanceState } from '../../journey/instance.ts';

export interface MessageRecord {
  readonly id: string;
  readonly sandbox: string;
  readonly journeyId: string | null;
  readonly version: number | null;
  readonly node: string | null;
  readonly label: string;
  readonly instanceId: string | null;
  readonly profileId: string;
  readonly channel: 'email' | 'push' | 'sms' | 'inApp' | 'code';
  readonly recipient: string | null;
  readonly status: 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'excluded';
  readonly reason: string | null;
  readonly subject: string | null;
  readonly body: string | null;
  readonly text: string | null;
  readonly payload: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CounterRow {
  readonly version: number;
  readonly node: string | null;
  readonly metric: string;
  readonly value: number;
}

export interface TimelineRow {
  readonly bucket: number;
  readonly series: string;
  readonly value: number;
}

export interface ReportRepository {
  /**
   * Counts over time for a journey, by bucket start (epoch ms): entered, exited and errors from the
   * instances, timeouts from their paths, message outcomes ("message.sent", "message.excluded", ...)
   * from the delivery log, and opens, clicks and unsubscribes from the feedback events.
   */
  timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]>;
  /** The message a provider knows by its own id (delivery receipts). */
  messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null>;
  /** One message of the delivery log by its id (the provider webhooks carry it back). */
  messageById(sandbox: string, id: string): Promise<MessageRecord | null>;
  counters(sandbox: string, journeyId: string): Promise<CounterRow[]>;
  instances(
    sandbox: string,
    filter: { journeyId?: string; profileId?: string; limit: number },
  ): Promise<InstanceState[]>;
  messages(
    sandbox: string,
    filter: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]>;
}
