// POST /v1/campaigns/:id/trigger: each recipient (a profile by identity, or in transactional mode
// an address, its profile made when there is none) enters the campaign's journey at once with the
// call's context, in one unit of work. Idempotent on the caller's request id: the instances' ids
// are derived from it, so a call repeated (even after a crash between the commit and the answer
// being kept) enters nobody twice, and a kept answer is given again.
import { createHash } from 'node:crypto';
import { campaignJourneyId, TRIGGER_CONTEXT_KEY, versionOf } from '../../campaign/as-journey.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { step, type Effect } from '../../journey/index.ts';
import type { TriggerAnswer, TriggerBody } from '../../isomorphic/api/campaigns.ts';
import type { Profile } from '../../model/profile.ts';
import { versionKey, type SandboxCatalog } from '../catalog.ts';
import { timeOrderedId } from '../engine/ids.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import type { Assign } from './catalog-entries.ts';
import { CAMPAIGN_TRIGGER_KIND, type StoredCampaign } from './stored.ts';

/** AJO's bound on a call's context. */
export const MAX_CONTEXT_BYTES = 200 * 1024;

type RecipientResult = TriggerAnswer['recipients'][number];

const fingerprintOf = (body: TriggerBody): string =>
  createHash('sha256')
    .update(JSON.stringify([body.recipients, body.context]))
    .digest('hex');

function addressNamespace(address: string): { namespace: 'Email' | 'Phone'; ok: boolean } {
  if (address.includes('@'))
    return { namespace: 'Email', ok: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) };
  return { namespace: 'Phone', ok: /^\+?[0-9][0-9 ().-]{4,30}$/.test(address) };
}

export async function triggerCampaign(
  rt: RuntimeParts,
  assign: Assign,
  sandbox: string,
  c: StoredCampaign,
  body: TriggerBody,
): Promise<TriggerAnswer> {
  const key = `${c.id}:${body.requestId}`;
  const fingerprint = fingerprintOf(body);
  const kept = await rt.store.getObject<{ fingerprint: string; answer: TriggerAnswer }>(
    sandbox,
    CAMPAIGN_TRIGGER_KIND,
    key,
  );
  if (kept) {
    if (kept.body.fingerprint !== fingerprint)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `request id "${body.requestId}" was used by another call to campaign "${c.id}" (other recipients or context)`,
        { details: { campaign: c.id, requestId: body.requestId } },
      );
    return { ...kept.body.answer, replayed: true };
  }
  const size = Buffer.byteLength(JSON.stringify(body.context));
  if (size > MAX_CONTEXT_BYTES)
    throw new WaymarkError(ErrorCode.ValidationFailed, 'the context is too large', {
      issues: [
        {
          path: 'context',
          message: 'at most 200 KB of JSON',
          expected: `≤ ${MAX_CONTEXT_BYTES} bytes`,
          received: `${size} bytes`,
        },
      ],
    });
  const catalog = await rt.catalogs.get(sandbox);
  const journeyId = campaignJourneyId(c.id);
  const recipients = await rt.writer.run(async (uow) => {
    const out: RecipientResult[] = [];
    for (const [index, r] of body.recipients.entries()) {
      const instanceId = `t${createHash('sha256')
        .update(`${sandbox}\u0000${key}\u0000${index}`)
        .digest('hex')
        .slice(0, 32)}`;
      out.push(
        await enterOne(uow, catalog, {
          sandbox,
          c,
          journeyId,
          instanceId,
          index,
          recipient: r,
          context: { ...body.context, ...(r.context ?? {}) },
          assign,
        }),
      );
    }
    return out;
  });
  const answer: TriggerAnswer = {
    campaignId: c.id,
    requestId: body.requestId,
    replayed: false,
    recipients,
  };
  await rt.store.putObject(
    sandbox,
    CAMPAIGN_TRIGGER_KIND,
    key,
    { fingerprint, answer },
    new Date(rt.clock.now()).toISOString(),
  );
  return answer;
}

async function enterOne(
  uow: UnitOfWork,
  catalog: SandboxCatalog,
  a: {
    sandbox: string;
    c: StoredCampaign;
    journeyId: string;
    instanceId: string;
    index: number;
    recipient: TriggerBody['recipients'][number];
    context: Record<string, unknown>;
    assign: Assign;
  },
): Promise<RecipientResult> {
  const { sandbox, c, index, instanceId } = a;
  const def = c.definition;
  const messageId = `${instanceId}:1`;
  const rejected = (reason: string): RecipientResult => ({
    index,
    requestId: messageId,
    status: 'rejected',
    reason,
  });
  // Entered by an earlier call with this request id (its answer not kept before a crash).
  const earlier = await uow.instance(instanceId);
  if (earlier)
    return { index, requestId: messageId, status: 'accepted', profileId: earlier.state.profileId };
  let profile: Profile | null = null;
  let identity: string;
  if ('identity' in a.recipient) {
    identity = a.recipient.identity;
    const ns = a.recipient.namespace ?? def.namespace ?? 'Email';
    const id = await uow.findProfileId(sandbox, ns, identity);
    profile = id ? await uow.profile(sandbox, id) : null;
    if (!profile) return rejected(`unknown_profile: no profile has ${ns} "${identity}"`);
  } else {
    identity = a.recipient.address;
    if (def.mode !== 'transactional')
      return rejected('address_needs_transactional: only transactional campaigns take addresses');
    const { namespace, ok } = addressNamespace(identity);
    if (!ok)
      return rejected(`invalid_address: "${identity}" is not an email address or phone number`);
    const wanted =
      def.action.channel === 'email' ? 'Email' : def.action.channel === 'sms' ? 'Phone' : null;
    if (wanted !== namespace)
      return rejected(
        `address_not_for_channel: a ${def.action.channel} campaign cannot send to "${identity}"`,
      );
    const id = await uow.findProfileId(sandbox, namespace, identity);
    profile = id ? await uow.profile(sandbox, id) : null;
    if (!profile) {
      const at = new Date(uow.now).toISOString();
      profile = {
        id: timeOrderedId(),
        identities: [{ namespace, id: identity }],
        attributes:
          namespace === 'Email'
            ? { personalEmail: { address: identity } }
            : { mobilePhone: { number: identity } },
        testProfile: false,
        createdAt: at,
        updatedAt: at,
      };
      uow.createProfile(sandbox, profile);
    }
  }
  let arm = 0;
  if (def.experiment) {
    const t = a.assign(c, identity);
    if (t === null)
      return {
        index,
        requestId: messageId,
        status: 'excluded',
        reason: 'holdout',
        profileId: profile.id,
      };
    arm = def.experiment.treatments.findIndex((x) => x.id === t) + 1;
  }
  const journey = catalog.versions.get(versionKey(a.journeyId, versionOf(1, arm)))?.compiled;
  if (!journey)
    throw new WaymarkError(
      ErrorCode.Conflict,
      `campaign "${c.id}" is not ready to send (its content or configuration no longer compiles)`,
    );
  const result = step(
    journey,
    null,
    { kind: 'enter', instanceId, profileId: profile.id },
    { now: uow.now, profile: profile.attributes, audiences: {} },
  );
  const withContext = (e: Effect): Effect =>
    e.kind === 'sendMessage'
      ? {
          ...e,
          context: {
            ...e.context,
            events: { ...e.context.events, [TRIGGER_CONTEXT_KEY]: a.context },
          },
        }
      : e;
  const effects = result.effects.map(withContext);
  uow.apply(sandbox, { ...result, effects }, 'audience');
  const sent = effects.find((e) => e.kind === 'sendMessage');
  return {
    index,
    requestId: sent?.kind === 'sendMessage' ? sent.messageId : messageId,
    status: 'accepted',
    profileId: profile.id,
  };
}
