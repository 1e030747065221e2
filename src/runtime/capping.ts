// Frequency capping at send time: the profile's delivery log (committed sends plus the ones this
// process just made and has not committed yet) against the Global Default Rule Set and the
// message's rule set. Checks for one profile run one at a time, so two sends cannot both slip in.
import { GLOBAL_DEFAULT_RULE_SET, type ChannelRuleSet } from '../model/rule-set.ts';
import { checkFrequencyCap, type CappingDecision, type DeliveryLogEntry } from '../rules/index.ts';
import { LruMap } from '../shared/lru.ts';
import type { Store } from '../store/ports.ts';
import type { MessageRequest } from './ports.ts';

type LogEntry = DeliveryLogEntry & { readonly id: string; readonly ruleSet: string | null };

/** The longest window a rule can have (3 months), with margin. */
const LOOKBACK_MS = 100 * 86_400_000;

export class CappingGate {
  private readonly locks = new Map<string, Promise<unknown>>();
  // Sends made but not yet committed, by profile; a profile leaves as soon as its sends are stored.
  private readonly recent = new LruMap<string, LogEntry[]>(100_000);

  constructor(private readonly store: Store) {}

  /** Runs `send` only if no rule caps it; `send` reports whether a message actually went out. */
  async guard<T>(
    req: MessageRequest,
    send: () => Promise<{ sent: boolean; value: T }>,
    excluded: (d: Extract<CappingDecision, { excluded: true }>) => T,
  ): Promise<T> {
    const ruleSets = [GLOBAL_DEFAULT_RULE_SET, req.effect.ruleSet]
      .map((name) => (name ? req.catalog.ruleSets.get(name) : undefined))
      .filter(
        (r): r is ChannelRuleSet =>
          r !== undefined && r.domain === 'channel' && r.status === 'active',
      );
    if (ruleSets.length === 0) return (await send()).value;
    const channel = req.effect.channel;
    // In-app and code-based messages are not counted by channel rules (no rule has their channel).
    if (channel === 'inApp' || channel === 'code') return (await send()).value;
    const key = `${req.sandbox}\u0000${req.instance.profileId}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      const log = await this.log(req, key);
      // The Global Default Rule Set counts every message of its channels; another rule set counts
      // the messages it was applied to. The lowest cap that binds wins.
      const binding = ruleSets
        .map((rs) =>
          checkFrequencyCap({
            channel,
            ruleSets: [rs],
            log:
              rs.name === GLOBAL_DEFAULT_RULE_SET ? log : log.filter((e) => e.ruleSet === rs.name),
            now: req.now,
          }),
        )
        .filter((d): d is Extract<CappingDecision, { excluded: true }> => d.excluded)
        .sort((a, b) => a.cap - b.cap)[0];
      if (binding) return excluded(binding);
      const r = await send();
      if (r.sent)
        this.remember(key, {
          id: req.effect.messageId,
          channel,
          sentAt: req.now,
          ruleSet: req.effect.ruleSet ?? null,
        });
      return r.value;
    });
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return run;
  }

  private async log(req: MessageRequest, key: string): Promise<LogEntry[]> {
    const since = req.now - LOOKBACK_MS;
    const stored = (
      await this.store.messages(req.sandbox, { profileId: req.instance.profileId, limit: 10_000 })
    ).filter(
      (m): m is typeof m & { channel: LogEntry['channel'] } =>
        (m.status === 'sent' || m.status === 'delivered') &&
        m.createdAt >= since &&
        m.channel !== 'inApp' &&
        m.channel !== 'code',
    );
    const ids = new Set(stored.map((m) => m.id));
    const pending = (this.recent.get(key) ?? []).filter((r) => !ids.has(r.id) && r.sentAt >= since);
    if (pending.length > 0) this.recent.set(key, pending);
    else this.recent.delete(key);
    const ruleSetOf = (payload: unknown): string | null => {
      const r = (payload as { ruleSet?: unknown } | null)?.ruleSet;
      return typeof r === 'string' ? r : null;
    };
    return [
      ...stored.map((m) => ({
        id: m.id,
        channel: m.channel,
        sentAt: m.createdAt,
        ruleSet: ruleSetOf(m.payload),
      })),
      ...pending,
    ];
  }

  private remember(key: string, entry: LogEntry): void {
    this.recent.set(key, [...(this.recent.get(key) ?? []), entry]);
  }
}
