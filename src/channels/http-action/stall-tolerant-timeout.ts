// A timeout that measures a call, not the event loop's stalls. A plain setTimeout fires late when
// other work (rendering a large batch, MJML) blocks the loop, and then fires before the socket's
// answer, which arrived during the stall, is read: a call answered in 0.45 s is recorded as timed
// out at 1 s. Here a shared ticker (running only while calls are in flight) notices every gap in
// the loop's turns; time the loop was blocked does not count against a call's budget, and when the
// timer fires it re-arms for what is left. A stall can only lengthen a call's wall time (never cut
// it short), and only by the time the loop was not there to read an answer.

const TICK_MS = 20;
/** Gaps shorter than this are ordinary scheduling jitter, not stalls. */
const TOLERANCE_MS = 30;

let holders = 0;
let ticker: NodeJS.Timeout | null = null;
let lastTick = 0;
let stalledMs = 0;

const gapAt = (now: number): number => {
  const gap = now - lastTick - TICK_MS;
  return gap > TOLERANCE_MS ? gap : 0;
};

/** Milliseconds the loop has been blocked since the ticker started, including a stall just ending. */
function stalledUntil(now: number): number {
  return stalledMs + gapAt(now);
}

function hold(): void {
  if (holders++ > 0) return;
  lastTick = performance.now();
  ticker = setInterval(() => {
    const now = performance.now();
    stalledMs += gapAt(now);
    lastTick = now;
  }, TICK_MS);
  ticker.unref();
}

function release(): void {
  if (--holders > 0 || ticker === null) return;
  clearInterval(ticker);
  ticker = null;
}

/** Calls `onTimeout` once `ms` of the call's time (not of the loop's stalls) has passed; cancel() when the call ends. */
export function stallTolerantTimeout(ms: number, onTimeout: () => void): { cancel(): void } {
  hold();
  const started = performance.now();
  const stalledAtStart = stalledUntil(started);
  let timer: NodeJS.Timeout | null = null;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    if (timer !== null) clearTimeout(timer);
    release();
  };
  const check = (): void => {
    const now = performance.now();
    const used = now - started - (stalledUntil(now) - stalledAtStart);
    if (used >= ms - 1) {
      finish();
      onTimeout();
      return;
    }
    timer = setTimeout(check, Math.ceil(ms - used));
  };
  timer = setTimeout(check, ms);
  return { cancel: finish };
}
