// The CPU profiler of the bench profile scripts (profile-ingest.ts, profile-timers.ts): started
// around the section they measure when they are given a file, the profile written there at the stop.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export interface CpuProfiler {
  /** Stops the profiler and writes its profile to the file (nothing when none was given). */
  stop(): Promise<void>;
}

/** Starts the V8 CPU profiler of this thread when `out` names a file; otherwise profiles nothing. */
export async function startCpuProfiler(out: string | undefined): Promise<CpuProfiler> {
  if (!out) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(out, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
