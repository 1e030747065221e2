// The public pages' per-address limit on form submissions: at most `limit` POSTs per client address
// and page in a fixed window. In memory, per server process (a robot hammering one engine of a fleet
// is held there; the limit is a brake on abuse, not an exact count).

export class SubmissionLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Takes one submission for (address, page); false when over the limit (with the ms to wait). */
  take(address: string, page: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const t = this.now();
    const key = `${address}|${page}`;
    let w = this.windows.get(key);
    if (w === undefined || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(t);
    }
    if (w.count >= this.limit) return { ok: false, retryAfterMs: w.start + this.windowMs - t };
    w.count += 1;
    return { ok: true };
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}
