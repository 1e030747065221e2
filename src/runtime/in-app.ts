// In-app messages and code-based experiences (AJO's in-app and code-based channels): an activity's
// rendered content goes to the profile's in-app inbox when the outbox commits its send
// (engine/outbox.ts), and the site's SDK asks for it (src/api/routes/in-app.ts):
// - in-app messages whose trigger matches what the visitor does, whose frequency allows another
//   display and that have not expired, newest first; a display is feedback "opened" (a reaction
//   activity on opened moves on), a button click "clicked";
// - code-based experiences by surface, the newest of each (a later one for a surface from the
//   same journey or campaign replaced the earlier one).
// A journey's in-app messages and code-based experiences leave the inbox when the profile leaves
// the journey (the step's withdrawInApp effect); a campaign's stay (in-app messages until they
// expire).
import { z } from 'zod';
import type { InAppFrequency, InAppTrigger } from '../model/message-content.ts';
import { MAX_IDENTITY_LENGTH } from '../model/identity.ts';
import type { RenderOutcome } from '../content/types.ts';
import type { InAppItemRow, MessageRecord } from '../store/ports.ts';
import { campaignIdOf } from '../campaign/as-journey.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { recordInteraction } from './message-interactions.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { UnitOfWork } from './unit-of-work/index.ts';

/** Where the rendered inbox item travels in the message record's payload (to the outbox's commit). */
export const INBOX_PAYLOAD_KEY = 'inbox';

export interface InAppButtonItem {
  readonly id: string;
  readonly label: string;
  readonly action: 'url' | 'dismiss';
  readonly url?: string;
}

/** What the inbox keeps of a rendered in-app message or code-based experience. */
export type InboxItem =
  | {
      readonly channel: 'inApp';
      readonly layout: 'modal' | 'banner' | 'fullscreen';
      readonly title: string;
      readonly body: string;
      readonly imageUrl?: string;
      readonly buttons: readonly InAppButtonItem[];
      readonly trigger: InAppTrigger;
      readonly frequency: InAppFrequency;
      /** Epoch ms. */
      readonly expiresAt: number;
    }
  | {
      readonly channel: 'code';
      readonly surface: string;
      readonly format: 'html' | 'json';
      readonly content: string;
    };

type Served = Extract<RenderOutcome, { ok: true; channel: 'inApp' | 'code' }>;

export function inboxItemOf(outcome: Served, now: number): InboxItem {
  if (outcome.channel === 'code')
    return {
      channel: 'code',
      surface: outcome.surface,
      format: outcome.format,
      content: outcome.content,
    };
  return {
    channel: 'inApp',
    layout: outcome.layout,
    title: outcome.title,
    body: outcome.body,
    ...(outcome.imageUrl === undefined ? {} : { imageUrl: outcome.imageUrl }),
    buttons: outcome.buttons,
    trigger: outcome.trigger,
    frequency: outcome.frequency,
    expiresAt: now + outcome.expiresAfterHours * 3_600_000,
  };
}

const itemOfPayload = (payload: unknown): InboxItem | null => {
  const v = (payload as Record<string, unknown> | null)?.[INBOX_PAYLOAD_KEY];
  if (typeof v !== 'object' || v === null) return null;
  const c = (v as { channel?: unknown }).channel;
  return c === 'inApp' || c === 'code' ? (v as InboxItem) : null;
};

/**
 * The inbox row of a sent in-app or code-based message, or null (another channel, not sent, or a
 * journey's message whose profile already left the journey).
 */
export function inboxRowOf(
  record: MessageRecord,
  instance: { readonly status: string } | null,
): InAppItemRow | null {
  if (record.status !== 'sent' && record.status !== 'delivered') return null;
  const item = itemOfPayload(record.payload);
  if (!item) return null;
  const withdrawOnExit = campaignIdOf(record.journeyId) === null;
  if (withdrawOnExit && instance !== null && instance.status !== 'active') return null;
  return {
    sandbox: record.sandbox,
    profileId: record.profileId,
    messageId: record.id,
    channel: item.channel,
    surface: item.channel === 'code' ? item.surface : null,
    instanceId: record.instanceId,
    journeyId: record.journeyId,
    version: record.version,
    node: record.node,
    withdrawOnExit,
    content: item,
    displays: 0,
    createdAt: record.createdAt,
    expiresAt: item.channel === 'inApp' ? item.expiresAt : null,
  };
}

// ---- What the SDK asks ----

/** What the visitor did: the app (or site) started, a page was viewed, an event happened. */
export const requestedTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('appLaunch') }).strict(),
  z.object({ kind: z.literal('pageView'), page: z.string().min(1).max(2000) }).strict(),
  z.object({ kind: z.literal('event'), eventType: z.string().min(1).max(200) }).strict(),
]);
export type RequestedTrigger = z.infer<typeof requestedTriggerSchema>;

const identity = {
  namespace: z.string().min(1).max(60).describe('The identity namespace, e.g. Email.'),
  id: z.string().min(1).max(MAX_IDENTITY_LENGTH).describe("The visitor's identity in it."),
};
export const inAppQuerySchema = z.object({ ...identity, trigger: requestedTriggerSchema }).strict();
export const inAppInteractionSchema = z
  .object({
    ...identity,
    messageId: z.string().min(1).max(300),
    interaction: z.enum(['displayed', 'clicked', 'dismissed']),
    button: z.string().min(1).max(40).optional(),
  })
  .strict();
export const experienceQuerySchema = z
  .object({ ...identity, surfaces: z.array(z.string().min(1).max(500)).min(1).max(20) })
  .strict();

/**
 * A page glob: * matches any characters, everything else itself. With `orPath`, a page given as a
 * full URL also matches a glob of paths (/demo/luma/* matches https://luma.example/demo/luma/cart).
 */
export function pageMatches(glob: string, page: string, orPath = false): boolean {
  if (orPath && glob.startsWith('/') && URL.canParse(page) && !page.startsWith('/'))
    return pageMatches(glob, page) || pageMatches(glob, new URL(page).pathname);
  const re = new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(page);
}

export function triggerMatches(trigger: InAppTrigger, asked: RequestedTrigger): boolean {
  switch (trigger.kind) {
    case 'appLaunch':
      return asked.kind === 'appLaunch';
    case 'pageView':
      return asked.kind === 'pageView' && pageMatches(trigger.page, asked.page, true);
    case 'event':
      return asked.kind === 'event' && asked.eventType === trigger.eventType;
  }
}

/** Whether a message displayed `displays` times may show again. */
export function mayDisplay(frequency: InAppFrequency, displays: number): boolean {
  switch (frequency.kind) {
    case 'once':
      return displays < 1;
    case 'everyTime':
      return true;
    case 'times':
      return displays < frequency.count;
  }
}

export interface InAppAnswerItem {
  readonly messageId: string;
  readonly layout: 'modal' | 'banner' | 'fullscreen';
  readonly title: string;
  readonly body: string;
  readonly imageUrl?: string;
  readonly buttons: readonly InAppButtonItem[];
}
export interface ExperienceAnswerItem {
  readonly surface: string;
  readonly format: 'html' | 'json';
  readonly content: string;
  readonly messageId: string;
}

export class InAppService {
  constructor(private readonly rt: RuntimeParts) {}

  private async profileId(sandbox: string, namespace: string, id: string): Promise<string | null> {
    return this.rt.store.findProfileId(sandbox, namespace, id);
  }

  /** The profile's in-app messages for a trigger: matching, displayable, not expired, newest first. */
  async query(sandbox: string, body: z.infer<typeof inAppQuerySchema>): Promise<InAppAnswerItem[]> {
    const profileId = await this.profileId(sandbox, body.namespace, body.id);
    if (profileId === null) return [];
    const now = this.rt.clock.now();
    return (await this.rt.store.inAppInbox(sandbox, profileId)).flatMap((row) => {
      if (row.channel !== 'inApp' || (row.expiresAt !== null && row.expiresAt <= now)) return [];
      const item = row.content as Extract<InboxItem, { channel: 'inApp' }>;
      if (!triggerMatches(item.trigger, body.trigger) || !mayDisplay(item.frequency, row.displays))
        return [];
      return [
        {
          messageId: row.messageId,
          layout: item.layout,
          title: item.title,
          body: item.body,
          ...(item.imageUrl === undefined ? {} : { imageUrl: item.imageUrl }),
          buttons: item.buttons,
        },
      ];
    });
  }

  /** The profile's code-based experiences for the surfaces asked (surfaces with none are absent). */
  async experiences(
    sandbox: string,
    body: z.infer<typeof experienceQuerySchema>,
  ): Promise<ExperienceAnswerItem[]> {
    const profileId = await this.profileId(sandbox, body.namespace, body.id);
    if (profileId === null) return [];
    const asked = new Set(body.surfaces);
    const seen = new Set<string>();
    const out: ExperienceAnswerItem[] = [];
    // Newest first: the first item of a surface is its current one.
    for (const row of await this.rt.store.inAppInbox(sandbox, profileId)) {
      if (row.channel !== 'code' || row.surface === null || !asked.has(row.surface)) continue;
      if (seen.has(row.surface)) continue;
      seen.add(row.surface);
      const item = row.content as Extract<InboxItem, { channel: 'code' }>;
      out.push({
        surface: item.surface,
        format: item.format,
        content: item.content,
        messageId: row.messageId,
      });
    }
    return body.surfaces.flatMap((s) => out.filter((o) => o.surface === s));
  }

  /**
   * What the SDK reports: displayed (counts toward the frequency; feedback opened), clicked
   * (feedback clicked) or dismissed. Each becomes an experience event on the profile and a report
   * counter on the activity, committed together; a reaction activity waiting for it moves on.
   */
  async interact(sandbox: string, body: z.infer<typeof inAppInteractionSchema>): Promise<void> {
    const profileId = await this.profileId(sandbox, body.namespace, body.id);
    const row =
      profileId === null
        ? undefined
        : (await this.rt.store.inAppInbox(sandbox, profileId)).find(
            (r) => r.messageId === body.messageId,
          );
    if (profileId === null || row === undefined)
      throw new WaymarkError(
        ErrorCode.NotFound,
        `in-app message "${body.messageId}" does not exist for this visitor`,
      );
    const item = row.content as InboxItem;
    if (body.button !== undefined && item.channel === 'inApp')
      if (!item.buttons.some((b) => b.id === body.button))
        throw new WaymarkError(
          ErrorCode.BadRequest,
          `body.button: one of the message's buttons (${item.buttons.map((b) => `"${b.id}"`).join(', ') || 'none'}), got "${body.button}"`,
          {
            issues: [
              {
                path: 'body.button',
                message: "not one of the message's buttons",
                expected: item.buttons.map((b) => b.id).join(' | ') || 'no button',
                received: body.button,
              },
            ],
          },
        );
    await this.rt.writer.exclusive(async (turn) => {
      const uow = turn.unit();
      if (body.interaction === 'displayed')
        uow.inApp({ kind: 'displayed', sandbox, profileId, messageId: row.messageId });
      const button =
        item.channel === 'inApp' && body.button !== undefined
          ? item.buttons.find((b) => b.id === body.button)
          : undefined;
      await recordInteraction(uow, (u, sb, reaction) => this.rt.engine.react(u, sb, reaction), {
        sandbox,
        profileId,
        message: {
          id: row.messageId,
          channel: row.channel,
          journeyId: row.journeyId,
          version: row.version,
          node: row.node,
        },
        interaction: body.interaction === 'displayed' ? 'opened' : body.interaction,
        details: {
          ...(button ? { button: button.id } : {}),
          ...(button?.url ? { link: { id: button.id, url: button.url } } : {}),
        },
      });
      await turn.commit(uow);
    });
  }
}

/** The inbox write of an outbox send's record (called in the outbox's commit). */
export async function storeInboxItem(uow: UnitOfWork, record: MessageRecord): Promise<void> {
  if (record.channel !== 'inApp' && record.channel !== 'code') return;
  const found = record.instanceId === null ? null : await uow.instance(record.instanceId);
  const row = inboxRowOf(record, found ? found.state : null);
  if (row) uow.inApp({ kind: 'put', row });
}
