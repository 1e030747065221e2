// Message dispatch: compile the activity's content once per journey version, render it for the
// profile, pick the recipient, then hand it to the channel. The embedded default delivers into the
// development inbox (the messages log), so the demo works with no mail account.
import { compileMessage, type CompiledMessage, type RenderOutcome } from '../content/index.ts';
import { messageContentSchema } from '../model/message-content.ts';
import { channelOfKind, type MessageNode } from '../model/journey.ts';
import type { Profile } from '../model/profile.ts';
import type { MessageRecord, SuppressionRow } from '../store/ports.ts';
import { normalizeSuppressedAddress, type SuppressionChannel } from '../model/suppression.ts';
import { toWaymarkError, WaymarkError } from '../errors.ts';
import { versionKey } from './catalog.ts';
import { TRIGGER_CONTEXT_KEY } from '../campaign/as-journey.ts';
import { readPath } from './paths.ts';
import type { CappingGate } from './capping.ts';
import type { MessageRequest, MessageSender } from './ports.ts';
import type { DecidedOffer } from '../content/decisions.ts';
import type { PageLinker } from '../content/render-state.ts';
import { INBOX_PAYLOAD_KEY, inboxItemOf } from './in-app.ts';

export type Rendered = Extract<RenderOutcome, { ok: true }>;

/** A channel delivery: returns the final status of the message, or throws a retryable error. */
export type Deliver = (
  req: MessageRequest,
  rendered: Rendered,
  recipient: string,
) => Promise<{
  status: MessageRecord['status'];
  reason: string | null;
  payload?: Record<string, unknown>;
}>;

export const deliverToDevInbox: Deliver = async () => ({ status: 'delivered', reason: null });

/** Where a message goes, or why it cannot go: consent, a known-dead address, no address at all. */
export function recipientOf(
  channel: 'email' | 'push' | 'sms',
  profile: Profile | null,
  opts: { appId?: string; marketing?: boolean } = {},
): { to: string } | { excluded: string; address?: string } {
  if (!profile) return { excluded: 'no_profile' };
  const attr = (p: string): unknown => readPath(profile.attributes, p);
  if (opts.marketing !== false && attr(`consents.marketing.${channel}`) === 'n')
    return { excluded: 'no_consent' };
  const appId = opts.appId;
  const identity = (ns: string): string | undefined =>
    profile.identities.find((i) => i.namespace === ns)?.id;
  const dead = (address: string): boolean =>
    attr(`undeliverable.${channel}.${address.replace(/\./g, '_')}`) === true;
  switch (channel) {
    case 'email': {
      const v = attr('personalEmail.address') ?? identity('Email');
      if (typeof v !== 'string' || !v.includes('@')) return { excluded: 'no_address' };
      return dead(v) ? { excluded: 'invalid_address', address: v } : { to: v };
    }
    case 'sms': {
      const v = attr('mobilePhone.number') ?? identity('Phone');
      if (typeof v !== 'string') return { excluded: 'no_address' };
      return dead(v) ? { excluded: 'invalid_address', address: v } : { to: v };
    }
    case 'push': {
      const tokens = attr('pushNotificationDetails');
      const usable = Array.isArray(tokens)
        ? tokens.filter(
            (t): t is { token: string; appId?: unknown } =>
              typeof t === 'object' &&
              t !== null &&
              typeof (t as { token?: unknown }).token === 'string',
          )
        : [];
      const match = usable.find(
        (t) => appId === undefined || t.appId === undefined || t.appId === appId,
      );
      return match ? { to: match.token } : { excluded: 'no_push_token' };
    }
  }
}

/**
 * Decides the policies a message names for its profile before the render and records the
 * propositions with the message id (AJO counts email offers at preparation, sent or not).
 */
export type DecisionResolver = (
  req: MessageRequest,
  policies: readonly string[],
) => Promise<Readonly<Record<string, readonly DecidedOffer[]>>>;

/** The suppression list entry of an address (src/model/suppression.ts), or null. */
export type SuppressionLookup = (
  sandbox: string,
  channel: SuppressionChannel,
  address: string,
) => Promise<SuppressionRow | null>;

export function createMessageSender(
  deliver: Deliver = deliverToDevInbox,
  capping?: CappingGate,
  decisions?: () => DecisionResolver | null,
  pageLinks?: (sandbox: string, profileId: string) => PageLinker | undefined,
  suppressions?: SuppressionLookup,
): MessageSender {
  return async (req) => {
    const { effect, instance, profile, catalog } = req;
    const base = {
      id: effect.messageId,
      sandbox: req.sandbox,
      journeyId: instance.journeyId,
      version: instance.version,
      node: effect.node,
      label: effect.label,
      instanceId: instance.id,
      profileId: instance.profileId,
      channel: effect.channel,
      createdAt: req.now,
      updatedAt: req.now,
    };
    const excluded = (
      reason: string,
      recipient: string | null = null,
      payload: Record<string, unknown> = {},
    ): MessageRecord => ({
      ...base,
      recipient,
      status: 'excluded',
      reason,
      subject: null,
      body: null,
      text: null,
      payload,
    });
    const compiled = await compiledFor(req);
    const config = catalog.configurations.get(effect.configuration);
    const channel = effect.channel;
    // In-app and code-based messages go to the profile's in-app inbox: no address, no consent by channel.
    const served = channel === 'inApp' || channel === 'code';
    const target: { to: string } | { excluded: string; address?: string } = served
      ? profile
        ? { to: instance.profileId }
        : { excluded: 'no_profile' }
      : recipientOf(channel, profile, {
          ...(config?.channel === 'push' ? { appId: config.appId } : {}),
          marketing: effect.category !== 'transactional',
        });
    // The sandbox's suppression list goes before a known-dead address: its reason is the better one.
    const address = 'to' in target ? target.to : target.address;
    if (suppressions && address !== undefined && (channel === 'email' || channel === 'sms')) {
      const entry = await suppressions(
        req.sandbox,
        channel,
        normalizeSuppressedAddress(channel, address),
      );
      if (entry)
        return excluded(`suppressed: ${entry.reason}`, address, {
          suppression: {
            reason: entry.reason,
            source: entry.source,
            ...(entry.detail === null ? {} : { detail: entry.detail }),
            since: new Date(entry.createdAt).toISOString(),
          },
        });
    }
    if ('excluded' in target) return excluded(target.excluded);
    const recipient = target.to;
    const journeyTech = {
      journeyUID: instance.journeyId,
      journeyVersion: instance.version,
      instanceUID: instance.id,
      profileId: instance.profileId,
      sandboxName: req.sandbox,
      currentNodeId: effect.node,
      currentNodeName: effect.label,
    };
    // A campaign's trigger call gives its context as {{context.…}} (src/campaign/as-journey.ts).
    const triggered = effect.context.events[TRIGGER_CONTEXT_KEY];
    const resolver = compiled.decisionPolicies.length > 0 ? (decisions?.() ?? null) : null;
    const decided = resolver ? await resolver(req, compiled.decisionPolicies) : undefined;
    // `landingPageUrl "slug"`: a page's link signed for this profile (a preference centre).
    const pageLink = pageLinks?.(req.sandbox, instance.profileId);
    const outcome = compiled.render({
      profile: profile?.attributes ?? {},
      context: {
        ...(typeof triggered === 'object' && triggered !== null ? triggered : {}),
        journey: {
          events: { ...effect.context.events },
          actions: { ...effect.context.actions },
          technicalProperties: journeyTech,
        },
      },
      audiences: req.audiences,
      now: req.now,
      ...(decided === undefined ? {} : { decisions: decided }),
      ...(pageLink === undefined ? {} : { pageLink }),
      ...(config?.renderLimits === undefined ? {} : { limits: config.renderLimits }),
    });
    if (!outcome.ok && outcome.reason === 'no_locale') return excluded('no_locale', recipient);
    // A render that fails (a bound crossed, a template error) is a failed message, recorded with why.
    if (!outcome.ok)
      return {
        ...excluded(`${outcome.reason}: ${outcome.message}`, recipient),
        status: 'failed',
        payload: outcome.limit === undefined ? {} : { limit: outcome.limit },
      };
    if (outcome.channel === 'inApp' || outcome.channel === 'code') {
      // Stored in the profile's in-app inbox when the outbox commits this record (engine/outbox.ts).
      const item = inboxItemOf(outcome, req.now);
      return {
        ...base,
        recipient,
        status: 'sent',
        reason: null,
        subject: outcome.channel === 'inApp' ? outcome.title : outcome.surface,
        body: outcome.channel === 'inApp' ? outcome.body : outcome.content,
        text: outcome.channel === 'inApp' ? outcome.body : null,
        payload: {
          ...(outcome.locale ? { locale: outcome.locale } : {}),
          ...(outcome.metadata ? { executionMetadata: outcome.metadata } : {}),
          [INBOX_PAYLOAD_KEY]: item,
        },
      };
    }
    const send = async () => {
      const d = await deliver(req, outcome, recipient).catch((e: unknown) => {
        throw withDetails(e, {
          recipient,
          ...(outcome.channel === 'email'
            ? { subject: outcome.subject }
            : outcome.channel === 'push'
              ? { subject: outcome.title }
              : {}),
        });
      });
      return { sent: d.status === 'sent' || d.status === 'delivered', value: d };
    };
    const delivered =
      capping && effect.category !== 'transactional'
        ? await capping.guard(req, send, (d) => ({
            status: 'excluded' as const,
            reason: 'capped',
            payload: {
              code: d.code,
              ruleSet: d.ruleSet,
              rule: d.rule,
              cap: d.cap,
              resetsAt: new Date(d.resetsAt).toISOString(),
            },
          }))
        : (await send()).value;
    const content =
      outcome.channel === 'email'
        ? { subject: outcome.subject, body: outcome.html, text: outcome.text }
        : outcome.channel === 'push'
          ? { subject: outcome.title, body: outcome.body, text: outcome.body }
          : { subject: null, body: outcome.text, text: outcome.text };
    const payload = {
      ...(effect.ruleSet ? { ruleSet: effect.ruleSet } : {}),
      ...(outcome.locale ? { locale: outcome.locale } : {}),
      ...(outcome.metadata ? { executionMetadata: outcome.metadata } : {}),
      ...(outcome.channel === 'push' ? { ios: outcome.ios, android: outcome.android } : {}),
      ...(outcome.channel === 'sms' ? { segments: outcome.segments } : {}),
      ...(delivered.payload ?? {}),
    };
    return {
      ...base,
      recipient,
      status: delivered.status,
      reason: delivered.reason,
      ...content,
      payload,
    };
  };
}

/** The same error with more details (who a failed delivery was for), so the failure record keeps them. */
export function withDetails(
  thrown: unknown,
  details: Readonly<Record<string, unknown>>,
): WaymarkError {
  const err = toWaymarkError(thrown);
  return new WaymarkError(err.code, err.message, {
    retryable: err.retryable,
    issues: err.issues,
    details: { ...err.details, ...details },
    cause: err.cause ?? thrown,
  });
}

async function compiledFor(req: MessageRequest): Promise<CompiledMessage> {
  const { catalog, instance, effect } = req;
  const key = `${versionKey(instance.journeyId, instance.version)}:${effect.node}`;
  const cached = catalog.messages.get(key) as CompiledMessage | undefined;
  if (cached) return cached;
  const node = catalog.versions
    .get(versionKey(instance.journeyId, instance.version))
    ?.compiled?.nodes.get(effect.node) as MessageNode | undefined;
  if (!node)
    throw new WaymarkError(
      'not_found',
      `activity ${effect.node} is not in journey ${instance.journeyId} v${instance.version}`,
    );
  const parsed = messageContentSchema.safeParse({
    channel: channelOfKind(node.kind),
    ...node.content,
  });
  if (!parsed.success)
    throw new WaymarkError(
      'validation_failed',
      `the content of ${node.label ?? node.id} is invalid: ${parsed.error.message}`,
    );
  const r = await compileMessage(parsed.data, catalog.content);
  if (!r.ok)
    throw new WaymarkError(
      'template_error',
      `the content of ${node.label ?? node.id} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`,
    );
  catalog.messages.set(key, r.message);
  return r.message;
}
