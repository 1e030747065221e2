// The crash-safety scenario: a real `waymark serve` with the Luma demo takes a steady stream of
// distinct checkouts and purchases (known ids) while it is SIGKILLed several times and restarted
// on the same data. The LoyaltyService and the SMTP server run here, outside the server, so that
// what reached them is counted on the wire. Afterwards: every shopper entered the journey once;
// each took one way out (the purchase: LoyaltyService then the confirmation, or the timeout: the
// abandoned-cart email), once; nothing is lost; a call or a mail that reached its provider twice
// must be one the server resent because a crash cut its attempt (the documented window), never
// another. Used by test/e2e/crash-safety.test.ts (modest size) and `npm run bench` (larger).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lumaPackage } from '../examples/luma/index.ts';
import { startLoyaltyService } from '../examples/luma/loyalty-service.ts';
import { DevInbox, messageIdFor, startDevSmtpServer } from '../src/channels/email/index.ts';
import { api, freePort, until, type ServerProcess } from '../test/support/process.ts';
import { spawnWarmServer, type WarmServer } from './warm-server.ts';

export interface CrashSafetyOptions {
  /** Shoppers; two in three also buy. */
  readonly shoppers: number;
  readonly kills: number;
  /** `sqlite` (the data folder) or a postgres:// URL with a schema of its own. */
  readonly store:
    | { readonly kind: 'sqlite' }
    | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };
  /** The abandoned-cart timeout (the demo's is a minute). */
  readonly timeoutSeconds: number;
  /** Events per request, and the pause between requests. */
  readonly batch: number;
  readonly pauseMs: number;
  readonly log?: (line: string) => void;
}

export interface CrashSafetyFigures {
  readonly store: string;
  readonly shoppers: number;
  readonly events: number;
  readonly kills: number;
  /** Journey entries (one per shopper when nothing is processed twice). */
  readonly entered: number;
  readonly purchases: number;
  readonly abandoned: number;
  /** Purchases that came after their timer had fired (a long restart): they took the abandoned way. */
  readonly purchasesAfterTimeout: number;
  readonly timeouts: number;
  readonly loyaltyCalls: number;
  readonly loyaltyKeys: number;
  readonly mails: number;
  /** Messages the delivery log says were sent (the abandoned-cart email may be excluded by its rule set). */
  readonly sentMessages: number;
  /** Calls and mails that reached their provider more than once. */
  readonly duplicates: { readonly loyalty: number; readonly email: number };
  /** Of those, the ones the server did not flag as resent after a crash (must be 0). */
  readonly duplicatesOutsideWindow: number;
  /** Outbox items the server resent because a crash cut their attempt. */
  readonly resentAfterCrash: number;
  /** Shoppers with no way out of the journey after everything settled (must be 0). */
  readonly lost: number;
  /** Shoppers that got the same message twice in the delivery log (must be 0). */
  readonly processedTwice: number;
  readonly seconds: number;
}

/** What must hold after a run, each with its rule (test/e2e/crash-safety.test.ts asserts them all; the bench counts the broken ones). */
export function crashInvariants(
  f: CrashSafetyFigures,
): Array<{ readonly rule: string; readonly holds: boolean }> {
  const buyers = Math.ceil((2 * f.shoppers) / 3);
  return [
    { rule: 'every checkout entered the journey once', holds: f.entered === f.shoppers },
    { rule: 'no shopper lost (each has a way out of the journey)', holds: f.lost === 0 },
    { rule: 'no message twice in the delivery log', holds: f.processedTwice === 0 },
    {
      rule: 'every shopper who did not buy got the abandoned-cart way',
      holds: f.abandoned - f.purchasesAfterTimeout === f.shoppers - buyers,
    },
    { rule: "each abandoned cart's timer fired once", holds: f.timeouts === f.abandoned },
    {
      rule: 'the LoyaltyService saw one idempotency key per purchase',
      holds: f.loyaltyKeys === f.purchases,
    },
    {
      rule: 'each sent message once on the wire, resends aside',
      holds: f.mails - f.duplicates.email === f.sentMessages,
    },
    {
      rule: 'nothing twice on the wire outside the crash window',
      holds: f.duplicatesOutsideWindow === 0,
    },
  ];
}

interface Message {
  readonly id: string;
  readonly label: string;
  readonly status: string;
  readonly recipient: string | null;
  readonly payload: { resentAfterCrash?: boolean };
}

const email = (i: number): string => `crash.${i}@luma.example`;
const items = [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }];
const event = (
  type: 'LumaCheckoutEvent_Email' | 'LumaPurchaseEvent_Email',
  i: number,
  at: number,
): Record<string, unknown> => ({
  id: `${type === 'LumaCheckoutEvent_Email' ? 'checkout' : 'purchase'}-${i}`,
  type,
  timestamp: new Date(at).toISOString(),
  payload: {
    _aeppartner1: { identification: { core: { email: email(i) } } },
    commerce:
      type === 'LumaCheckoutEvent_Email'
        ? { checkouts: { value: 1 } }
        : {
            purchases: { value: 1 },
            order: { purchaseID: `order-${i}`, priceTotal: 92, currencyCode: 'USD' },
          },
    productListItems: items,
  },
});

/** The Luma demo with a shorter abandoned-cart timeout. */
function demoPackage(
  loyaltyUrl: string,
  smtpPort: number,
  timeoutSeconds: number,
): Record<string, unknown> {
  const pkg = lumaPackage({
    loyaltyUrl,
    devSmtpPort: smtpPort,
    publicUrl: 'http://waymark.test',
  }) as {
    objects: Array<{
      kind: string;
      id?: string;
      spec: { nodes?: Array<{ id: string; timeout?: { duration: string } }> };
    }>;
  };
  const journey = pkg.objects.find((o) => o.kind === 'journey' && o.id === 'purchase-journey');
  const wait = journey?.spec.nodes?.find((n) => n.id === 'purchase');
  if (!wait?.timeout) throw new Error('the Luma package has no purchase timeout to shorten');
  wait.timeout.duration = `PT${timeoutSeconds}S`;
  return pkg;
}

/** The delivery log is read in one page of at most 1,000 messages (up to two a shopper). */
const MAX_SHOPPERS = 500;

export async function runCrashSafety(o: CrashSafetyOptions): Promise<CrashSafetyFigures> {
  if (!Number.isInteger(o.shoppers) || o.shoppers < 3 || o.shoppers > MAX_SHOPPERS)
    throw new RangeError(
      `shoppers: expected a whole number from 3 to ${MAX_SHOPPERS}, got ${o.shoppers}`,
    );
  if (!Number.isInteger(o.kills) || o.kills < 0)
    throw new RangeError(`kills: expected a whole number of 0 or more, got ${o.kills}`);
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-crash-'));
  const loyalty = await startLoyaltyService(0);
  // Every mail kept and listed (the development inbox keeps 500 and lists 100 by default).
  const inbox = new DevInbox(Number.MAX_SAFE_INTEGER);
  const allMail = (): ReturnType<DevInbox['list']> =>
    inbox.list({ limit: Number.MAX_SAFE_INTEGER });
  const smtp = await startDevSmtpServer({ port: 0, onMessage: inbox.add });
  const port = await freePort();
  const args = [
    '--allow-hosts',
    '127.0.0.1',
    '--smtp-port',
    String(await freePort()),
    ...(o.store.kind === 'postgres'
      ? ['--store', o.store.url, '--store-schema', o.store.schema]
      : []),
  ];
  const outputs: string[] = [];
  let killed = 0;
  // The server of each restart is spawned ahead and loads its code while the servers before it run
  // (bench/warm-server.ts): a restart then costs what recovery costs, not Node loading modules.
  const spawned: WarmServer[] = [spawnWarmServer(args, dir, port)];
  try {
    await spawned[0]!.loaded;
    log(`server code loaded after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (let k = 0; k < o.kills; k++) spawned.push(spawnWarmServer(args, dir, port));
    let server: ServerProcess = await spawned[0]!.start();
    log(`server ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const applied = await api(
      server,
      'POST',
      '/v1/packages/apply',
      demoPackage(loyalty.url, smtp.port, o.timeoutSeconds),
    );
    if (applied.status !== 200)
      throw new Error(`the demo did not apply: ${JSON.stringify(applied.body)}`);
    log(`demo applied after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The stream: each shopper's checkout, and two requests later the purchase of two in three.
    const buyer = (i: number): boolean => i % 3 !== 2;
    const events: Array<Record<string, unknown>> = [];
    const t0 = Date.now();
    for (let i = 0; i < o.shoppers; i++) {
      events.push(event('LumaCheckoutEvent_Email', i, t0 + i));
      const j = i - 2;
      if (j >= 0 && buyer(j)) events.push(event('LumaPurchaseEvent_Email', j, t0 + i));
    }
    for (let j = Math.max(0, o.shoppers - 2); j < o.shoppers; j++)
      if (buyer(j)) events.push(event('LumaPurchaseEvent_Email', j, t0 + o.shoppers));

    // A kill at each milestone (events accepted), spread over the stream. The stream runs on
    // through a kill, but not past the milestone after it while that kill has not happened.
    const milestones = Array.from({ length: o.kills }, (_, k) =>
      Math.floor(((k + 1) * events.length) / (o.kills + 1)),
    );
    let sent = 0;
    let restarting: Promise<void> | null = null;
    const sender = (async () => {
      for (let at = 0; at < events.length; at += o.batch) {
        const batch = events.slice(at, at + o.batch);
        const reached = milestones.filter((m) => m <= at).length;
        if (reached > killed + 1)
          await until(
            `kill ${reached - 1} before event ${at}`,
            () => killed >= reached - 1 || null,
            300_000,
            10,
          );
        // Until the server answers for the batch (the same events again after a crash: duplicates).
        for (;;) {
          if (restarting) await restarting;
          const r = await api(server, 'POST', '/v1/events', batch).catch(() => null);
          if (r && r.status === 202) break;
          if (r && r.status !== 202)
            throw new Error(`events refused: ${r.status} ${JSON.stringify(r.body)}`);
          await new Promise((res) => setTimeout(res, 20));
        }
        sent = at + batch.length;
        await new Promise((res) => setTimeout(res, o.pauseMs));
      }
    })();
    let refused: unknown = null;
    void sender.catch((e: unknown) => {
      refused = e;
    });
    for (let k = 0; k < o.kills; k++) {
      await until(
        `event ${milestones[k]} sent`,
        () => {
          if (refused) throw refused;
          return sent >= milestones[k]! || null;
        },
        300_000,
        10,
      );
      const next = spawned[k + 1]!;
      await next.loaded;
      let done!: () => void;
      restarting = new Promise<void>((res) => {
        done = res;
      });
      const dying = server;
      const restartedAt = Date.now();
      await dying.kill('SIGKILL');
      outputs.push(dying.output());
      server = await next.start();
      log(
        `kill ${k + 1}/${o.kills} after ${sent} events; serving again in ${Date.now() - restartedAt} ms`,
      );
      killed++;
      restarting = null;
      done();
    }
    await sender;
    log(
      `stream of ${events.length} events done after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    // Everything settles: each shopper out of the journey one way or the other.
    const messagesNow = async (): Promise<Message[]> =>
      (await api(server, 'GET', '/v1/messages?journey=purchase-journey&limit=1000')).body
        .items as Message[];
    const outcomeOf = (ms: Message[]): Map<string, Message[]> => {
      const by = new Map<string, Message[]>();
      for (const m of ms) if (m.recipient) by.set(m.recipient, [...(by.get(m.recipient) ?? []), m]);
      return by;
    };
    await until(
      `every shopper out of the journey`,
      async () => {
        const ms = await messagesNow();
        const by = outcomeOf(ms);
        // Each shopper has a way out, each sent message reached the SMTP server, and each purchase the
        // LoyaltyService answered has its confirmation (a purchase that came after its timer goes
        // through the abandoned-cart email first, so its confirmation comes later).
        const keys = new Set(
          loyalty.calls.flatMap((c) => (c.idempotencyKey ? [c.idempotencyKey] : [])),
        ).size;
        return (
          Array.from({ length: o.shoppers }, (_, i) => email(i)).every(
            (e) => (by.get(e)?.length ?? 0) > 0,
          ) &&
          allMail().length >= ms.filter((m) => m.status === 'sent').length &&
          ms.filter((m) => m.label === 'Order Confirmation Email').length >= keys
        );
      },
      (o.timeoutSeconds + 120) * 1000,
      100,
    ).catch(async (e: unknown) => {
      const ms = await messagesNow();
      const by = outcomeOf(ms);
      const without = Array.from({ length: o.shoppers }, (_, i) => email(i)).filter(
        (e) => !by.has(e),
      );
      const keys = new Set(
        loyalty.calls.flatMap((c) => (c.idempotencyKey ? [c.idempotencyKey] : [])),
      ).size;
      throw new Error(
        `${String(e)}: ${without.length} shoppers without a message (${without.slice(0, 20).join(', ')}); ${ms.filter((m) => m.status === 'sent').length} messages sent, ${allMail().length} mails at the SMTP server; ${ms.filter((m) => m.label === 'Order Confirmation Email').length} confirmations for ${keys} LoyaltyService keys; server: ${server.output().slice(-2000)}`,
      );
    });
    log(`settled after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await new Promise((res) => setTimeout(res, 1500)); // anything late would show now
    outputs.push(server.output());

    const messages = await messagesNow();
    const by = outcomeOf(messages);
    const report = (await api(server, 'GET', '/v1/journeys/purchase-journey/report')).body as {
      total: { entered: number };
      versions: Array<{ activities: Array<{ id: string; timeouts?: number }> }>;
    };
    const timeouts = report.versions
      .flatMap((v) => v.activities)
      .filter((a) => a.id === 'purchase')
      .reduce((n, a) => n + (a.timeouts ?? 0), 0);

    // On the wire.
    const mails = allMail();
    const perMessageId = new Map<string, number>();
    for (const m of mails) perMessageId.set(m.messageId, (perMessageId.get(m.messageId) ?? 0) + 1);
    const domain = (mails[0]?.messageId ?? '<x@localhost>').replace(/^<[^@]*@|>$/g, '');
    const flaggedMail = new Set(
      messages
        .filter((m) => m.payload.resentAfterCrash === true)
        .map((m) => messageIdFor(m.id, domain).replace(/^<|>$/g, '')),
    );
    const perKey = new Map<string, number>();
    for (const c of loyalty.calls)
      if (c.idempotencyKey) perKey.set(c.idempotencyKey, (perKey.get(c.idempotencyKey) ?? 0) + 1);
    const logs = outputs.join('\n');
    const resentKeys = new Set([...logs.matchAll(/"idempotencyKey":"([^"]+)"/g)].map((m) => m[1]!));
    const resentAfterCrash = (
      logs.match(/resending an outbox item whose attempt a crash cut/g) ?? []
    ).length;
    let outside = 0;
    for (const [id, n] of perMessageId)
      if (n > 1 && !flaggedMail.has(id.replace(/^<|>$/g, ''))) outside += n - 1;
    for (const [key, n] of perKey) if (n > 1 && !resentKeys.has(key)) outside += n - 1;

    let lost = 0;
    let twice = 0;
    let purchases = 0;
    let abandoned = 0;
    let late = 0;
    for (let i = 0; i < o.shoppers; i++) {
      const ways = by.get(email(i)) ?? [];
      if (ways.length === 0) lost++;
      // A buyer whose purchase came after the timer (a long restart) gets both, legitimately (the journey waits for a purchase again); the same message twice is not.
      if (new Set(ways.map((m) => m.label)).size < ways.length) twice++;
      if (ways.some((m) => m.label === 'Order Confirmation Email')) purchases++;
      if (ways.some((m) => m.label === 'Abandoned Cart Email')) {
        abandoned++;
        if (buyer(i)) late++;
      }
    }
    return {
      store: o.store.kind,
      shoppers: o.shoppers,
      events: events.length,
      kills: killed,
      entered: report.total.entered,
      purchases,
      abandoned,
      purchasesAfterTimeout: late,
      timeouts,
      loyaltyCalls: loyalty.calls.length,
      loyaltyKeys: perKey.size,
      mails: mails.length,
      sentMessages: messages.filter((m) => m.status === 'sent').length,
      duplicates: {
        loyalty: [...perKey.values()].reduce((n, c) => n + c - 1, 0),
        email: [...perMessageId.values()].reduce((n, c) => n + c - 1, 0),
      },
      duplicatesOutsideWindow: outside,
      resentAfterCrash,
      lost,
      processedTwice: twice,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    for (const w of spawned) await w.stop();
    await smtp.close();
    await loyalty.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
