// The BullMQ baseline in a process of its own (bullmq.ts: bullmqTimersApart): run with the timer
// count, the spread interval and the untimed round's count, it prints the baseline's runs as JSON
// on stdout.
import { bullmqTimers } from './bullmq.ts';

const [n, interval, warmup] = process.argv.slice(2).map(Number);
if (!Number.isFinite(n) || !Number.isFinite(interval) || !Number.isFinite(warmup))
  throw new Error(
    `usage: bullmq-child.ts <timers> <interval ms> <untimed first>, not ${process.argv.slice(2).join(' ')}`,
  );
process.stdout.write(JSON.stringify(await bullmqTimers(n!, interval!, warmup!)));
