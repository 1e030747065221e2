// `waymark campaigns list|get|create|activate|stop|trigger|report|audience|experiment` and, where an approval
// policy applies, `request-approval|approve|reject|cancel-approval`: campaigns through the API
// (docs/campaigns.md).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type {
  CampaignAudienceAnswer,
  CampaignCounts,
  CampaignReport,
  CampaignView,
  TriggerAnswer,
} from '../../isomorphic/api/campaigns.ts';
import { addClientOptions, call, clientOptions, CliError } from '../client.ts';
import { registerExperimentCommand } from './campaign-experiment.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface ListEntry {
  id: string;
  name: string;
  type: string;
  mode: string;
  channel: string;
  status: string;
  nextRunAt?: string;
  counts: CampaignCounts;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  // yaml loads only for a YAML file: most commands never need it.
  const parseYaml = /\.ya?ml$/i.test(file) ? (await import('yaml')).parse : null;
  try {
    return parseYaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const excludedLine = (c: CampaignCounts): string =>
  Object.entries(c.excludedBy)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');

const countsLine = (c: CampaignCounts): string =>
  `targeted ${c.targeted}  sent ${c.sent}  delivered ${c.delivered}  bounced ${c.bounced}  opened ${c.opened}  clicked ${c.clicked}  errors ${c.errors}  excluded ${c.excluded}${c.excluded > 0 ? ` (${excludedLine(c)})` : ''}`;

const path = (id: string, rest = ''): string => `/v1/campaigns/${encodeURIComponent(id)}${rest}`;

export function registerCampaignCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const campaigns = program
    .command('campaigns')
    .description('scheduled and API-triggered campaigns: create, activate, stop, trigger, report');
  addClientOptions(
    campaigns.command('list').description('every campaign, its status and totals'),
  ).action(async (o: Opts) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/campaigns')) as { items: ListEntry[] };
    if (r.items.length === 0) out('no campaigns\n');
    for (const c of r.items)
      out(
        `${c.id.padEnd(24)} ${c.status.padEnd(10)} ${c.type.padEnd(14)} ${c.mode.padEnd(13)} ${c.channel.padEnd(5)} sent ${String(c.counts.sent).padStart(7)}  ${c.name}${c.nextRunAt ? `  next ${c.nextRunAt}` : ''}\n`,
      );
  });
  addClientOptions(campaigns.command('get <id>').description('a campaign as JSON')).action(
    async (id: string, o: Opts) => {
      out(`${JSON.stringify(await call(clientOptions(o), 'GET', path(id)), null, 2)}\n`);
    },
  );
  addClientOptions(
    campaigns
      .command('create <file>')
      .description(
        'create a draft from a JSON or YAML file (- for stdin); its problems are listed',
      ),
  ).action(async (file: string, o: Opts) => {
    const body = await readJson(file, 'the campaign');
    const v = (await call(clientOptions(o), 'POST', '/v1/campaigns', body)) as CampaignView;
    out(`created ${v.id} (${v.status})\n`);
    for (const p of v.problems) out(`  to fix before activation: ${p.path}: ${p.message}\n`);
  });
  for (const verb of ['activate', 'stop'] as const)
    addClientOptions(
      campaigns
        .command(`${verb} <id>`)
        .description(verb === 'activate' ? 'activate a draft' : 'stop a campaign (final)'),
    ).action(async (id: string, o: Opts) => {
      const v = (await call(clientOptions(o), 'POST', path(id, `/${verb}`))) as CampaignView;
      out(`${v.id} ${v.status}${v.nextRunAt ? `, next run ${v.nextRunAt}` : ''}\n`);
    });
  // The approval flow: each answers the request and the campaign's status after it.
  const approvalVerbs = [
    ['request-approval', '/approval-requests', 'send a draft for approval (in review, locked)'],
    ['approve', '/approve', 'approve and activate a campaign in review'],
    ['reject', '/request-changes', 'request changes: back to draft, with --comment saying what'],
    ['cancel-approval', '/approval-requests/cancel', 'withdraw the request: a draft again'],
  ] as const;
  for (const [verb, tail, description] of approvalVerbs)
    addClientOptions(
      campaigns
        .command(`${verb} <id>`)
        .description(description)
        .option('--comment <text>', 'a message for the other side'),
    ).action(async (id: string, o: Opts & { comment?: string }) => {
      const body = verb === 'cancel-approval' || !o.comment ? {} : { comment: o.comment };
      const r = (await call(clientOptions(o), 'POST', path(id, tail), body)) as {
        approval: { id: string; status: string } | null;
        campaign: CampaignView;
      };
      out(
        `${r.campaign.id} ${r.campaign.status}${r.approval ? ` (approval ${r.approval.id} ${r.approval.status})` : ' (no approval policy applies: activated)'}\n`,
      );
    });
  addClientOptions(
    campaigns
      .command('trigger <id>')
      .description('send an API-triggered campaign to recipients with a context')
      .requiredOption('--request-id <key>', 'idempotency key: the same key sends nothing again')
      .option('--to <recipient...>', 'identities, or addresses (transactional) with --address', [])
      .option('--address', 'the recipients are email addresses or phone numbers')
      .option('--namespace <ns>', "the identities' namespace (default: the campaign's)")
      .option('--context <file>', 'a JSON or YAML file of the context ({{context.…}})'),
  ).action(
    async (
      id: string,
      o: Opts & {
        requestId: string;
        to: string[];
        address?: boolean;
        namespace?: string;
        context?: string;
      },
    ) => {
      if (o.to.length === 0) throw new CliError('name at least one recipient with --to');
      const context = o.context ? await readJson(o.context, 'the context') : {};
      const recipients = o.to.map((r) =>
        o.address
          ? { address: r }
          : { identity: r, ...(o.namespace ? { namespace: o.namespace } : {}) },
      );
      const a = (await call(clientOptions(o), 'POST', path(id, '/trigger'), {
        requestId: o.requestId,
        recipients,
        context,
      })) as TriggerAnswer;
      if (a.replayed) out(`request ${a.requestId} was already sent: nothing sent again\n`);
      for (const r of a.recipients)
        out(`${o.to[r.index]}  ${r.status}${r.reason ? ` (${r.reason})` : ''}  ${r.requestId}\n`);
    },
  );
  addClientOptions(
    campaigns
      .command('report <id>')
      .description('totals, each run, each treatment, the excluded by reason')
      .option('--json', 'the whole report as JSON'),
  ).action(async (id: string, o: Opts & { json?: boolean }) => {
    const r = (await call(clientOptions(o), 'GET', path(id, '/report'))) as CampaignReport;
    if (o.json) {
      out(`${JSON.stringify(r, null, 2)}\n`);
      return;
    }
    out(`${r.campaignId} ${r.status}\n  total  ${countsLine(r.totals)}\n`);
    for (const run of r.runs) {
      out(
        `  run ${run.runId} at ${run.scheduledAt} ${run.status}\n         ${countsLine(run.counts)}\n`,
      );
      for (const [t, c] of Object.entries(run.treatments))
        out(`         treatment ${t}: ${countsLine(c)}\n`);
    }
    if (r.experiment) {
      const e = r.experiment;
      out(
        `  experiment (${e.metric}${e.windowHours === null ? '' : ` within ${e.windowHours} h`}): ${e.status}${e.winner ? `, winner ${e.winner}` : `, leading ${e.leader}`}\n`,
      );
      for (const a of e.arms)
        out(
          `    ${a.id.padEnd(12)} ${a.control ? 'control ' : '        '} rate ${(a.rate * 100).toFixed(2)}%  lift ${a.lift === null ? '-' : `${(a.lift * 100).toFixed(1)}% [${((a.liftLow ?? 0) * 100).toFixed(1)}, ${((a.liftHigh ?? 0) * 100).toFixed(1)}]`}  P(best) ${(a.probabilityBest * 100).toFixed(1)}%  (${a.successes}/${a.exposures})\n`,
        );
      const h = e.holdout;
      if (h.percent > 0)
        out(
          `    holdout ${h.percent}%: ${h.size} held out${h.successes === null ? '' : `, ${h.successes} converted (baseline ${h.rate === null ? '-' : `${(h.rate * 100).toFixed(2)}%`})`}\n`,
        );
      for (const w of e.winnerSends)
        out(
          `    run ${w.run} winner send at ${w.at}: ${w.state === 'pending' ? 'pending' : `${w.treatment} (${w.basis === 'analysis' ? 'the analysis winner' : 'no winner: the control'})`}\n`,
        );
    }
  });
  registerExperimentCommand(campaigns, out);
  addClientOptions(
    campaigns
      .command('audience <id> <name>')
      .description(
        'an audience of the profiles one report cell counts (e.g. --outcome opened --run 1)',
      )
      .requiredOption(
        '--outcome <o>',
        'sent, delivered, bounced, opened, clicked, unsubscribed, excluded or errors',
      )
      .option('--reason <r>', 'with --outcome excluded: one reason (consent, capping, …)')
      .option('--run <n>', 'the run (1 is the first; default: every run)')
      .option('--treatment <t>', 'a treatment id, or winner (default: every treatment)')
      .option('--namespace <ns>', "the audience's identity namespace"),
  ).action(
    async (
      id: string,
      name: string,
      o: Opts & {
        outcome: string;
        reason?: string;
        run?: string;
        treatment?: string;
        namespace?: string;
      },
    ) => {
      if (o.run !== undefined && !/^[1-9][0-9]*$/.test(o.run))
        throw new CliError(`--run takes a run number (1, 2, …), not "${o.run}"`);
      const a = (await call(clientOptions(o), 'POST', path(id, '/audiences'), {
        name,
        outcome: o.outcome,
        ...(o.reason ? { reason: o.reason } : {}),
        ...(o.run ? { run: Number(o.run) } : {}),
        ...(o.treatment ? { treatment: o.treatment } : {}),
        ...(o.namespace ? { namespace: o.namespace } : {}),
      })) as CampaignAudienceAnswer;
      out(
        `created audience "${a.audience.name}" with ${a.size} member${a.size === 1 ? '' : 's'}\n`,
      );
    },
  );
}
