// A per-user limit on questions: a fixed window per user (questions per minute).
export class UserRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Takes one question; the seconds to wait when none is left. */
  take(user: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const t = this.now();
    const w = this.windows.get(user);
    if (!w || t - w.start >= 60_000) {
      this.windows.set(user, { start: t, count: 1 });
      return { ok: true };
    }
    if (w.count >= this.perMinute)
      return { ok: false, retryAfterSeconds: Math.ceil((w.start + 60_000 - t) / 1000) };
    w.count++;
    return { ok: true };
  }
}
