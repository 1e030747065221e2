// SMS click tracking (AJO's SMS URL shortening): when an SMS configuration tracks clicks, each
// http(s) link of the rendered text is replaced, before the message leaves, by
// `<public URL>/s/<code>`, a 10-character base62 code drawn at random (59 bits: not guessable,
// checked against the codes already taken). The code's row names the message, the profile and the
// activity, and expires. GET /s/<code> (public) records a click like an email's tracked link (the
// feedback event, the activity's clicked and per-link counters, a reaction waiting for a click)
// and redirects to the original URL.
import { randomBytes } from 'node:crypto';
import { findSmsLinks } from '../channels/tracking/sms-links.ts';
import { TRACKING_ROUTES } from '../channels/tracking/index.ts';
import type { Metric } from '../journey/effects.ts';
import type { ShortLinkRow, Store } from '../store/ports.ts';
import { LINK_METRIC_PREFIX, recordInteraction } from './message-interactions.ts';
import type { RuntimeParts } from './runtime-parts.ts';

/** The public route of short links (relative to the public base URL). */
export const SHORT_LINK_ROUTE = '/s/';
export const SHORT_CODE_LENGTH = 10;
/** How long a short link leads somewhere when its configuration does not say. */
export const DEFAULT_SHORT_LINK_DAYS = 30;
const DAY_MS = 86_400_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CODE = new RegExp(`^[0-9A-Za-z]{${SHORT_CODE_LENGTH}}$`);

/** A random base62 code (rejection sampling: every character equally likely). */
export function newShortCode(): string {
  let code = '';
  while (code.length < SHORT_CODE_LENGTH)
    for (const b of randomBytes(16)) {
      if (b >= 248) continue; // 248 = 62 × 4
      code += BASE62[b % 62];
      if (code.length === SHORT_CODE_LENGTH) break;
    }
  return code;
}

export const isShortCode = (s: string): boolean => CODE.test(s);

export interface ShortenedLink {
  readonly linkId: string;
  readonly url: string;
  readonly shortUrl: string;
}

/** The message the links belong to: a short link row's fields that name it. */
export type ShortenContext = Pick<
  ShortLinkRow,
  'sandbox' | 'messageId' | 'profileId' | 'journeyId' | 'version' | 'node'
>;

export interface ShortenDeps {
  readonly store: Pick<Store, 'putShortLink' | 'shortLinksOfMessage'>;
  /** The public base URL (the short links' host). */
  readonly baseUrl: string;
  readonly now: () => number;
  /** Draws a code (tests force collisions); default newShortCode. */
  readonly newCode?: () => string;
}

const trimBase = (u: string): string => u.replace(/\/+$/, '');

/**
 * The SMS text with each link shortened, and the links. Links that are already Waymark's (a short
 * link, a tracked email link, an unsubscribe link) stay as they are. A retried send reuses the
 * codes its first attempt stored, so the person's earlier copy (if any) leads to the same rows.
 */
export async function shortenSmsLinks(
  deps: ShortenDeps,
  ctx: ShortenContext,
  text: string,
  validDays: number = DEFAULT_SHORT_LINK_DAYS,
  /** The configuration's short link domain, instead of the server's public URL. */
  domain?: string,
): Promise<{ text: string; links: ShortenedLink[] }> {
  const bases = [...new Set([domain, deps.baseUrl].flatMap((b) => (b ? [trimBase(b)] : [])))];
  const base = bases[0]!;
  const routes = [SHORT_LINK_ROUTE, ...Object.values(TRACKING_ROUTES)];
  const ours = bases.flatMap((b) => routes.map((r) => `${b}${r}`));
  const found = findSmsLinks(text).filter((l) => !ours.some((p) => l.url.startsWith(p)));
  if (found.length === 0) return { text, links: [] };
  const earlier = await deps.store.shortLinksOfMessage(ctx.sandbox, ctx.messageId);
  const draw = deps.newCode ?? newShortCode;
  const now = deps.now();
  const links: ShortenedLink[] = [];
  let out = '';
  let at = 0;
  for (const [i, l] of found.entries()) {
    const linkId = String(i);
    let code = earlier.find((e) => e.linkId === linkId && e.url === l.url)?.code;
    for (let attempt = 0; code === undefined; attempt++) {
      if (attempt === 8) throw new Error('no free short link code after 8 draws');
      const row: ShortLinkRow = {
        code: draw(),
        sandbox: ctx.sandbox,
        messageId: ctx.messageId,
        profileId: ctx.profileId,
        journeyId: ctx.journeyId,
        version: ctx.version,
        node: ctx.node,
        linkId,
        url: l.url,
        createdAt: now,
        expiresAt: now + validDays * DAY_MS,
      };
      if (await deps.store.putShortLink(row)) code = row.code;
    }
    const shortUrl = `${base}${SHORT_LINK_ROUTE}${code}`;
    links.push({ linkId, url: l.url, shortUrl });
    out += text.slice(at, l.start) + shortUrl;
    at = l.end;
  }
  return { text: out + text.slice(at), links };
}

/**
 * A click on a short link: where it leads, or null when the code is unknown or expired. The caller
 * records the click (`record`) behind its answer, like an email's tracked link: the feedback event on
 * the profile, the activity's clicked and per-link counters (every click), and the reaction
 * activity waiting for a click (the first one moves it on).
 */
export async function followShortLink(
  rt: Pick<RuntimeParts, 'store' | 'writer' | 'engine' | 'clock'>,
  code: string,
): Promise<{ url: string; record: () => Promise<void> } | null> {
  if (!isShortCode(code)) return null;
  const link = await rt.store.shortLink(code);
  if (link === null || link.expiresAt <= rt.clock.now()) return null;
  const record = (): Promise<void> =>
    rt.writer.exclusive(async (turn) => {
      const uow = turn.unit();
      const message = {
        id: link.messageId,
        channel: 'sms' as const,
        journeyId: link.journeyId,
        version: link.version,
        node: link.node,
      };
      if (link.journeyId !== null && link.version !== null && link.node !== null)
        uow.count(link.sandbox, link.journeyId, link.version, {
          node: link.node,
          metric: `${LINK_METRIC_PREFIX}${link.url}` as Metric,
        });
      await recordInteraction(uow, (u, sb, reaction) => rt.engine.react(u, sb, reaction), {
        sandbox: link.sandbox,
        profileId: link.profileId,
        message,
        interaction: 'clicked',
        details: { link: { id: link.linkId, url: link.url } },
      });
      await turn.commit(uow);
    });
  return { url: link.url, record };
}
