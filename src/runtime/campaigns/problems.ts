// What blocks a campaign's activation, each problem naming the field: the journey validation of
// the journey it runs as (configuration, its channel, rule set, audience, namespace), its content
// compiled as a send compiles it, and its schedule's runs.
import { campaignJourney } from '../../campaign/as-journey.ts';
import { isTimeZone, parseCron, runTimes } from '../../campaign/schedule.ts';
import { compileMessage } from '../../content/index.ts';
import { validateJourney } from '../../journey/index.ts';
import type { CampaignDefinition } from '../../model/campaign.ts';
import { messageContentSchema } from '../../model/message-content.ts';
import type { SandboxCatalog } from '../catalog.ts';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Where a journey issue's path points in the campaign. */
function campaignPath(path: string): string {
  if (path.startsWith('entry.audience')) return 'audience.audience';
  if (path.startsWith('entry.namespace')) return 'audience.namespace';
  const m = /^nodes(?:\[\d+\]|\.\d+)\.(\w+)/.exec(path);
  if (m) return m[1] === 'content' ? 'action.content' : `action.${m[1]}`;
  return 'action';
}

async function contentProblems(
  channel: CampaignDefinition['action']['channel'],
  content: Record<string, unknown>,
  at: string,
  catalog: SandboxCatalog,
): Promise<Problem[]> {
  const parsed = messageContentSchema.safeParse({ ...content, channel });
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({
      path: [at, ...i.path.map(String)].join('.'),
      message: i.message,
    }));
  const r = await compileMessage(parsed.data, catalog.content);
  return r.ok ? [] : r.diagnostics.map((d) => ({ path: at, message: d.message }));
}

export async function campaignProblems(
  def: CampaignDefinition,
  catalog: SandboxCatalog,
  now: number,
): Promise<Problem[]> {
  const out: Problem[] = [];
  if (def.type === 'scheduled' && !def.audience)
    out.push({ path: 'audience', message: 'a scheduled campaign needs an audience' });
  if (def.type === 'api-triggered' && def.schedule.kind === 'recurring')
    out.push({
      path: 'schedule',
      message: 'an API-triggered campaign runs on calls: its schedule is now or a start date',
    });
  if (def.action.configuration === '')
    out.push({ path: 'action.configuration', message: 'choose a channel configuration' });
  else {
    const journey = campaignJourney(def, { at: now, arm: 0, ratePerSecond: 1 });
    const issues = validateJourney(
      journey,
      def.type === 'api-triggered'
        ? { ...catalog.journeyCatalog, audiences: [...(catalog.journeyCatalog.audiences ?? [])] }
        : catalog.journeyCatalog,
    ).issues.filter((i) => def.type === 'scheduled' || !i.path.startsWith('entry.'));
    for (const i of issues) out.push({ path: campaignPath(i.path), message: i.message });
  }
  if (def.experiment)
    for (const [i, t] of def.experiment.treatments.entries())
      out.push(
        ...(await contentProblems(
          def.action.channel,
          t.content,
          `experiment.treatments.${i}.content`,
          catalog,
        )),
      );
  else
    out.push(
      ...(await contentProblems(def.action.channel, def.action.content, 'action.content', catalog)),
    );
  if (!isTimeZone(def.timeZone))
    out.push({ path: 'timeZone', message: `"${def.timeZone}" is not an IANA time zone` });
  else if (def.schedule.kind === 'recurring') {
    const r = def.schedule.recurrence;
    let cronOk = true;
    if (r.frequency === 'cron')
      try {
        parseCron(r.expression);
      } catch (e) {
        cronOk = false;
        out.push({ path: 'schedule.recurrence.expression', message: (e as Error).message });
      }
    if (cronOk && runTimes(def.schedule, def.timeZone, now).length === 0)
      out.push({
        path: 'schedule.endAt',
        message: 'no run falls between the start and the end of the schedule',
      });
  }
  if (def.experiment?.winner.kind === 'sendWinnerToRest') {
    if (def.type === 'api-triggered')
      out.push({
        path: 'experiment.winner',
        message:
          'an API-triggered campaign has no rest of an audience to send the winner to: choose none',
      });
    else if (def.experiment.holdoutPercent === 0)
      out.push({
        path: 'experiment.holdoutPercent',
        message: 'sending the winner to the rest needs a share held back for it: set a holdout',
      });
  }
  if (def.useProfileTimeZone && def.type === 'api-triggered')
    out.push({
      path: 'useProfileTimeZone',
      message:
        "an API-triggered campaign sends on each call: only scheduled campaigns use the profile's time zone",
    });
  return out;
}
