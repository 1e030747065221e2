// The sandbox-wide suppression list and what email and SMS providers report about sent messages
// (bounces, complaints, deliveries, through their signed webhooks). Every change is one unit of
// work: the message's log entry, the feedback event on the profile, the profile itself (the address
// marked undeliverable, or marketing consent withdrawn after a complaint) and the suppression entry
// commit together.
import { randomUUID } from 'node:crypto';
import type { ProviderFeedback } from '../channels/email/webhooks.ts';
import { bounceFeedback } from '../channels/tracking/index.ts';
import type { FeedbackEvent } from '../channels/tracking/feedback.ts';
import { WaymarkError } from '../errors.ts';
import { normalizeIdentity } from '../model/identity.ts';
import {
  normalizeSuppressedAddress,
  suppressionInputSchema,
  type SuppressionChannel,
  type SuppressionInput,
  type SuppressionReason,
} from '../model/suppression.ts';
import type { MessageRecord, SuppressionRow } from '../store/ports.ts';
import { deepMerge } from './paths.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { UnitOfWork } from './unit-of-work/index.ts';
import { zodIssues } from './zod-issues.ts';

/** What the change did, for the webhook's answer and the tests. */
export interface FeedbackOutcome {
  readonly message: string | null;
  readonly profile: string | null;
  readonly suppressed: SuppressionReason | null;
}

export class SuppressionService {
  constructor(private readonly rt: RuntimeParts) {}

  list(
    sandbox: string,
    opts: { search?: string; channel?: SuppressionChannel; limit?: number; offset?: number } = {},
  ): Promise<SuppressionRow[]> {
    return this.rt.store.listSuppressions(sandbox, {
      ...opts,
      limit: Math.min(Math.max(opts.limit ?? 100, 1), 1000),
    });
  }

  get(
    sandbox: string,
    channel: SuppressionChannel,
    address: string,
  ): Promise<SuppressionRow | null> {
    return this.rt.store.suppression(
      sandbox,
      channel,
      normalizeSuppressedAddress(channel, address),
    );
  }

  /** Adds (or replaces) an entry by hand: the API, the console, the CLI. */
  async add(sandbox: string, input: SuppressionInput, source: string): Promise<SuppressionRow> {
    const parsed = suppressionInputSchema.safeParse(input);
    if (!parsed.success)
      throw new WaymarkError('validation_failed', 'the suppression is invalid', {
        issues: zodIssues(parsed.error),
      });
    const v = parsed.data;
    const address = normalizeSuppressedAddress(v.channel, v.address);
    return this.rt.writer.run(async (uow) => {
      const row: SuppressionRow = {
        sandbox,
        channel: v.channel,
        address,
        reason: v.reason,
        source,
        detail: v.detail ?? null,
        createdAt: uow.now,
      };
      uow.suppress({ sandbox, channel: v.channel, address, entry: entryOf(row) });
      return row;
    });
  }

  /** Removes an address from the list; false when it was not on it. */
  async remove(sandbox: string, channel: SuppressionChannel, address: string): Promise<boolean> {
    const normalized = normalizeSuppressedAddress(channel, address);
    if (!(await this.rt.store.suppression(sandbox, channel, normalized))) return false;
    await this.rt.writer.run(async (uow) => {
      uow.suppress({ sandbox, channel, address: normalized, entry: null });
    });
    return true;
  }

  /**
   * Records what a provider's verified webhook says about a message. `source` names the provider.
   * A hard bounce and a complaint put the address on the suppression list; a soft bounce is logged
   * on the message only; a delivery moves a sent message to delivered.
   */
  providerFeedback(
    sandbox: string,
    channel: SuppressionChannel,
    source: string,
    feedback: ProviderFeedback,
  ): Promise<FeedbackOutcome> {
    const address = normalizeSuppressedAddress(channel, feedback.address);
    return this.rt.writer.run(async (uow) => {
      const message = await this.messageOf(sandbox, channel, address, feedback.messageId);
      const profileId =
        message?.profileId ??
        (await this.rt.store.findProfileId(
          sandbox,
          channel === 'email' ? 'Email' : 'Phone',
          channel === 'email' ? normalizeIdentity('email', address) : address,
        ));
      const profile = profileId ? await uow.profile(sandbox, profileId) : null;
      const now = uow.now;
      switch (feedback.kind) {
        case 'delivered':
          if (message && message.status === 'sent')
            uow.message({ ...message, status: 'delivered', updatedAt: now });
          return { message: message?.id ?? null, profile: profile?.id ?? null, suppressed: null };
        case 'bounced': {
          const reason = `${source} ${feedback.severity} bounce: ${feedback.detail}`;
          const bounced = message && {
            ...message,
            status: 'bounced' as const,
            reason,
            updatedAt: now,
          };
          if (bounced) uow.message(bounced);
          if (profile) {
            await this.feedbackEvent(
              uow,
              sandbox,
              channel,
              'message.bounced',
              profile.id,
              bounced,
              reason,
            );
            if (feedback.severity === 'hard')
              uow.putProfile(sandbox, {
                ...profile,
                attributes: deepMerge(profile.attributes, {
                  undeliverable: { [channel]: { [address.replace(/\./g, '_')]: true } },
                }),
                updatedAt: new Date(now).toISOString(),
              });
          }
          if (feedback.severity === 'soft')
            return { message: message?.id ?? null, profile: profile?.id ?? null, suppressed: null };
          uow.suppress({
            sandbox,
            channel,
            address,
            entry: { reason: 'hard_bounce', source, detail: feedback.detail, createdAt: now },
          });
          return {
            message: message?.id ?? null,
            profile: profile?.id ?? null,
            suppressed: 'hard_bounce',
          };
        }
        case 'complained': {
          if (profile) {
            await this.feedbackEvent(
              uow,
              sandbox,
              channel,
              'message.complained',
              profile.id,
              message,
              feedback.detail,
            );
            uow.putProfile(sandbox, {
              ...profile,
              attributes: deepMerge(profile.attributes, {
                consents: { marketing: { [channel]: 'n' } },
              }),
              updatedAt: new Date(now).toISOString(),
            });
          }
          uow.suppress({
            sandbox,
            channel,
            address,
            entry: { reason: 'complaint', source, detail: feedback.detail, createdAt: now },
          });
          return {
            message: message?.id ?? null,
            profile: profile?.id ?? null,
            suppressed: 'complaint',
          };
        }
        default: {
          const never: never = feedback;
          return never;
        }
      }
    });
  }

  /** The logged message the feedback is about: the id the provider carried back, sent to this address. */
  private async messageOf(
    sandbox: string,
    channel: SuppressionChannel,
    address: string,
    id: string | null,
  ): Promise<MessageRecord | null> {
    if (id === null) return null;
    const m = await this.rt.store.messageById(sandbox, id);
    if (!m || m.channel !== channel || m.recipient === null) return null;
    return normalizeSuppressedAddress(channel, m.recipient) === address ? m : null;
  }

  /** One feedback event per message and kind (the message id keys it), on the profile. */
  private async feedbackEvent(
    uow: UnitOfWork,
    sandbox: string,
    channel: SuppressionChannel,
    type: 'message.bounced' | 'message.complained',
    profileId: string,
    message: MessageRecord | null | undefined,
    reason: string,
  ): Promise<void> {
    const eventId = message
      ? `${type === 'message.bounced' ? 'bounce' : 'complaint'}:${message.id}`
      : randomUUID();
    if (message && (await uow.seenEvent(sandbox, eventId))) return;
    const payload: FeedbackEvent = message
      ? { ...bounceFeedback({ ...message, reason }, uow.now), type }
      : {
          type,
          channel,
          messageId: '',
          profileId,
          reason,
          occurredAt: new Date(uow.now).toISOString(),
        };
    uow.recordEvent({ sandbox, eventId, type, profileId, payload, receivedAt: uow.now });
    // A provider's bounce of a journey message: a reaction activity waiting for it moves on.
    if (type === 'message.bounced' && message?.node)
      await this.rt.engine.react(uow, sandbox, {
        messageId: message.id,
        activity: message.node,
        reaction: 'bounced',
      });
  }
}

const entryOf = (r: SuppressionRow) => ({
  reason: r.reason,
  source: r.source,
  detail: r.detail,
  createdAt: r.createdAt,
});
