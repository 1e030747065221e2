// The BullMQ baseline in a process of its own (bullmq.ts: bullmqTimersApart): run with the timer
// count and the spread interval, it prints the baseline's runs as JSON on stdout.
import { bullmqTimers } from './bullmq.ts';

const [n, interval] = process.argv.slice(2).map(Number);
if (!Number.isFinite(n) || !Number.isFinite(interval))
  throw new Error(
    `usage: bullmq-child.ts <timers> <interval ms>, not ${process.argv.slice(2).join(' ')}`,
  );
process.stdout.write(JSON.stringify(await bullmqTimers(n!, interval!)));
