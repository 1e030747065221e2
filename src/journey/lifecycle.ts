import { JourneyStatus } from '../model/journey.ts';

export type LifecycleCommand =
  'publish' | 'test' | 'untest' | 'dryRun' | 'stopDryRun' | 'pause' | 'resume' | 'close' | 'stop';

const allowed: Record<
  LifecycleCommand,
  { readonly from: readonly JourneyStatus[]; readonly to: JourneyStatus }
> = {
  publish: { from: [JourneyStatus.Draft, JourneyStatus.Test], to: JourneyStatus.Live },
  test: { from: [JourneyStatus.Draft], to: JourneyStatus.Test },
  untest: { from: [JourneyStatus.Test], to: JourneyStatus.Draft },
  /** Dry run: a draft runs on real traffic without doing anything; stopped by hand, back to draft. */
  dryRun: { from: [JourneyStatus.Draft], to: JourneyStatus.DryRun },
  stopDryRun: { from: [JourneyStatus.DryRun], to: JourneyStatus.Draft },
  pause: { from: [JourneyStatus.Live], to: JourneyStatus.Paused },
  resume: { from: [JourneyStatus.Paused], to: JourneyStatus.Live },
  close: { from: [JourneyStatus.Live, JourneyStatus.Paused], to: JourneyStatus.Closed },
  stop: {
    from: [JourneyStatus.Live, JourneyStatus.Paused, JourneyStatus.Closed],
    to: JourneyStatus.Stopped,
  },
};

/** The status a command leads to, or why it cannot be applied. Closed and stopped journeys never restart. */
export function transition(
  from: JourneyStatus,
  command: LifecycleCommand,
): { ok: true; to: JourneyStatus } | { ok: false; message: string } {
  const rule = allowed[command];
  if (!rule.from.includes(from))
    return {
      ok: false,
      message: `cannot ${command} a journey version that is ${from} (allowed from: ${rule.from.join(', ')})`,
    };
  return { ok: true, to: rule.to };
}

/** Whether a status accepts new entries, and whether its instances move. */
export const acceptsEntries = (s: JourneyStatus): boolean =>
  s === JourneyStatus.Live || s === JourneyStatus.Test || s === JourneyStatus.DryRun;
export const instancesMove = (s: JourneyStatus): boolean =>
  s === JourneyStatus.Live ||
  s === JourneyStatus.Closed ||
  s === JourneyStatus.Test ||
  s === JourneyStatus.DryRun;

/** AJO's "Finished": a closed version with no profile left in it. Derived where versions are listed, never stored. */
export const FINISHED = 'finished';
export type ShownStatus = JourneyStatus | typeof FINISHED;

/** The status lists show: a closed version reads finished once no profile is in flight. */
export const shownStatus = (status: JourneyStatus, inFlight: boolean): ShownStatus =>
  status === JourneyStatus.Closed && !inFlight ? FINISHED : status;
