// The no-model answers: figures from the tools put into sentences, with what stands out and links
// to where to look or act (the Assistant never changes anything itself). Pure.
import type {
  ActionFigures,
  AssistantAnswer,
  AudienceSize,
  CampaignFigures,
  Citation,
  DataSet,
  JourneyFigures,
  JourneyPerformance,
  MessageFigures,
  SystemFigures,
} from './types.ts';

export const NO_MODEL_NOTE =
  'I run without a model here: this answer comes from templates over your sandbox’s figures.';
export const NO_MODEL_DOCS_NOTE =
  'I run without a model here: these are the best matching passages of the documentation.';

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1).replace(/\.0$/, '')}%`;

export const journeyHref = (id: string): string => `/journeys/${encodeURIComponent(id)}`;
export const reportHref = (id: string): string => `${journeyHref(id)}/report`;

const reportCitation = (j: { id: string; name: string }): Citation => ({
  title: `${j.name} — report`,
  href: reportHref(j.id),
});

/** "as of <date>": every figure is a total since the journey's first version. */
export const period = (now: number): string =>
  `all time, as of ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What stands out in a journey's figures, each with where to act. */
export function highlights(p: JourneyPerformance): string[] {
  const out: string[] = [];
  if (p.entered === 0) return ['No profile has entered it yet, so there is nothing to assess.'];
  const errorRate = p.errors / p.entered;
  const worstErrors = [...p.activities].sort((a, b) => b.errors - a.errors)[0];
  if (p.errors > 0)
    out.push(
      `Error rate ${pct(p.errors, p.entered)} (${n(p.errors)} errors)` +
        (worstErrors && worstErrors.errors > 0
          ? `, most at “${worstErrors.label}” (${n(worstErrors.errors)})`
          : '') +
        (errorRate >= 0.05
          ? ': that is high; check that activity’s action or its error path in the journey editor.'
          : '.'),
    );
  else out.push('No errors.');
  const worstTimeouts = [...p.activities].sort((a, b) => b.timeouts - a.timeouts)[0];
  if (p.timeouts > 0)
    out.push(
      `Timeouts: ${n(p.timeouts)} (${pct(p.timeouts, p.entered)} of entries)` +
        (worstTimeouts && worstTimeouts.timeouts > 0
          ? `, most at “${worstTimeouts.label}” (${n(worstTimeouts.timeouts)})`
          : '') +
        '. Profiles that time out took the timeout path; if that is not expected, review the wait or raise the timeout in the journey editor.',
    );
  else out.push('No timeouts.');
  if (p.capped > 0) out.push(`${n(p.capped)} sends were capped by frequency rules.`);
  const m = p.messages;
  if (m.targeted > 0) {
    out.push(
      `Messages: ${n(m.targeted)} targeted, ${n(m.sent)} sent, ${n(m.delivered)} delivered, ${n(m.bounced)} bounced, ${n(m.failed)} failed, ${n(m.excluded)} excluded; ${n(m.opened)} opens and ${n(m.clicked)} clicks.`,
    );
    const reasons = Object.entries(m.excludedBy).sort((a, b) => b[1] - a[1]);
    if (reasons.length > 0)
      out.push(`Exclusions by reason: ${reasons.map(([r, c]) => `${r} ${n(c)}`).join(', ')}.`);
  }
  return out;
}

function activityData(p: JourneyPerformance): DataSet[] {
  const touched = p.activities.filter((a) => a.entered > 0 || a.errors > 0 || a.timeouts > 0);
  const out: DataSet[] = [
    {
      title: `${p.name}: profiles per activity`,
      points: touched.map((a) => ({ label: a.label, value: a.entered })),
    },
  ];
  const failing = touched.filter((a) => a.errors > 0 || a.timeouts > 0);
  if (failing.length > 0)
    out.push({
      title: `${p.name}: errors and timeouts per activity`,
      points: failing.map((a) => ({ label: a.label, value: a.errors + a.timeouts })),
    });
  return out;
}

export function performanceAnswer(p: JourneyPerformance, now: number): AssistantAnswer {
  const lines = [
    `**${p.name}** (${p.status}): ${n(p.entered)} profiles entered, ${n(p.exited)} exited, ${n(p.errors)} errors and ${n(p.timeouts)} timeouts (${period(now)}).`,
    ...highlights(p).map((h) => `- ${h}`),
    `Report: ${reportHref(p.id)}`,
    '',
    NO_MODEL_NOTE,
  ];
  return {
    answer: lines.join('\n'),
    citations: [reportCitation(p), { title: `${p.name} — journey`, href: journeyHref(p.id) }],
    data: activityData(p),
    mode: 'intent',
  };
}

export function mostUsedAnswer(
  all: readonly JourneyFigures[],
  p: JourneyPerformance,
  now: number,
): AssistantAnswer {
  const others = [...all].filter((j) => j.id !== p.id).sort((a, b) => b.entered - a.entered);
  const next = others[0];
  const lines = [
    `The most used journey is **${p.name}** (${p.status}): ${n(p.entered)} profiles entered, ${n(p.exited)} exited, ${n(p.errors)} errors and ${n(p.timeouts)} timeouts (${period(now)}).` +
      (next ? ` Next is ${next.name} with ${n(next.entered)} entries.` : ''),
    ...highlights(p).map((h) => `- ${h}`),
    `Report: ${reportHref(p.id)}`,
    '',
    NO_MODEL_NOTE,
  ];
  return {
    answer: lines.join('\n'),
    citations: [reportCitation(p), { title: `${p.name} — journey`, href: journeyHref(p.id) }],
    data: [
      {
        title: 'Profiles entered per journey',
        points: [...all]
          .sort((a, b) => b.entered - a.entered)
          .slice(0, 8)
          .map((j) => ({ label: j.name, value: j.entered })),
      },
      ...activityData(p),
    ],
    mode: 'intent',
  };
}

export function errorsAnswer(
  journeys: readonly JourneyFigures[] | null,
  system: SystemFigures | null,
  now: number,
): AssistantAnswer {
  const lines: string[] = [];
  const citations: Citation[] = [];
  const data: DataSet[] = [];
  if (journeys !== null) {
    const failing = journeys
      .filter((j) => j.errors > 0 || j.timeouts > 0)
      .sort((a, b) => b.errors + b.timeouts - (a.errors + a.timeouts));
    if (failing.length === 0) lines.push(`No journey has errors or timeouts (${period(now)}).`);
    else {
      lines.push(`Journeys with errors or timeouts (${period(now)}):`);
      for (const j of failing) {
        lines.push(
          `- ${j.name}: ${n(j.errors)} errors, ${n(j.timeouts)} timeouts of ${n(j.entered)} entered (${pct(j.errors, j.entered)} error rate).`,
        );
        citations.push(reportCitation(j));
      }
      data.push({
        title: 'Errors per journey',
        points: failing.map((j) => ({ label: j.name, value: j.errors })),
      });
    }
  }
  if (system !== null) {
    lines.push(
      system.deadLetters === 0
        ? 'No dead letters (rejected events) are waiting.'
        : `${n(system.deadLetters)} dead letters (rejected events) wait to be looked at or replayed.`,
    );
    if (system.outboxRetrying > 0)
      lines.push(`${n(system.outboxRetrying)} deliveries or calls are waiting for a retry.`);
    citations.push({ title: 'Dead letters', href: '/dead-letters' });
  }
  lines.push('', NO_MODEL_NOTE);
  return { answer: lines.join('\n'), citations, ...(data.length ? { data } : {}), mode: 'intent' };
}

export function deliverabilityAnswer(m: MessageFigures, now: number): AssistantAnswer {
  if (m.targeted === 0)
    return {
      answer: `No journey message has been targeted yet (${period(now)}), so there is no deliverability to assess.\n\n${NO_MODEL_NOTE}`,
      citations: [{ title: 'Reports', href: '/reports' }],
      mode: 'intent',
    };
  const reasons = Object.entries(m.excludedBy).sort((a, b) => b[1] - a[1]);
  const lines = [
    `Journey messages (${period(now)}): ${n(m.targeted)} targeted, ${n(m.sent)} sent, ${n(m.delivered)} delivered (${pct(m.delivered, m.targeted)}), ${n(m.bounced)} bounced (${pct(m.bounced, m.targeted)}), ${n(m.failed)} failed, ${n(m.excluded)} excluded (${pct(m.excluded, m.targeted)}).`,
    `Engagement: ${n(m.opened)} opens and ${n(m.clicked)} clicks (${pct(m.clicked, Math.max(1, m.delivered))} click rate on delivered), ${n(m.unsubscribed)} unsubscribed.`,
    ...(reasons.length > 0
      ? [`Excluded by reason: ${reasons.map(([r, c]) => `${r} ${n(c)}`).join(', ')}.`]
      : []),
    '',
    NO_MODEL_NOTE,
  ];
  return {
    answer: lines.join('\n'),
    citations: [
      { title: 'Reports', href: '/reports' },
      { title: 'Delivery', href: '/docs/concepts/delivery.html' },
    ],
    data: [
      {
        title: 'Message outcomes',
        points: [
          { label: 'sent', value: m.sent },
          { label: 'delivered', value: m.delivered },
          { label: 'bounced', value: m.bounced },
          { label: 'failed', value: m.failed },
          { label: 'excluded', value: m.excluded },
          { label: 'opened', value: m.opened },
          { label: 'clicked', value: m.clicked },
        ],
      },
    ],
    mode: 'intent',
  };
}

export function audienceAnswer(sizes: readonly AudienceSize[], now: number): AssistantAnswer {
  if (sizes.length === 0)
    return {
      answer: `This sandbox has no audiences yet.\n\n${NO_MODEL_NOTE}`,
      citations: [{ title: 'Audiences', href: '/objects/audiences' }],
      mode: 'intent',
    };
  const sorted = [...sizes].sort((a, b) => b.realized - a.realized);
  return {
    answer: [
      `Audience sizes (members who qualify now; ${period(now)}):`,
      ...sorted.map((a) => `- ${a.name}: ${n(a.realized)} members, ${n(a.exited)} exited`),
      '',
      NO_MODEL_NOTE,
    ].join('\n'),
    citations: [
      { title: 'Audiences', href: '/objects/audiences' },
      { title: 'Audiences in depth', href: '/docs/audiences.html' },
    ],
    data: [
      {
        title: 'Audience sizes',
        points: sorted.slice(0, 10).map((a) => ({ label: a.name, value: a.realized })),
      },
    ],
    mode: 'intent',
  };
}

export function waitingAnswer(
  system: SystemFigures | null,
  journeys: readonly JourneyFigures[] | null,
  now: number,
): AssistantAnswer {
  const lines: string[] = [];
  const citations: Citation[] = [];
  if (journeys !== null) {
    const active = journeys.filter((j) => j.active > 0).sort((a, b) => b.active - a.active);
    const total = active.reduce((s, j) => s + j.active, 0);
    lines.push(
      total === 0
        ? 'No profile is in a journey right now.'
        : `${n(total)} profiles are in journeys right now: ${active.map((j) => `${j.name} ${n(j.active)}`).join(', ')}.`,
    );
    for (const j of active.slice(0, 3)) citations.push(reportCitation(j));
  }
  if (system !== null) {
    lines.push(
      `Timers due now: ${n(system.timersDue)}; next timer ${system.nextTimerAt ?? 'none'}. Outbox: ${n(system.outboxDue)} due, ${n(system.outboxRetrying)} waiting for a retry. Dead letters: ${n(system.deadLetters)}.`,
    );
    citations.push({ title: 'System status', href: '/system' });
  }
  lines.push(`(${period(now)})`, '', NO_MODEL_NOTE);
  return { answer: lines.join('\n'), citations, mode: 'intent' };
}

export function campaignsAnswer(list: readonly CampaignFigures[], now: number): AssistantAnswer {
  if (list.length === 0)
    return {
      answer: `This sandbox has no campaigns yet.\n\n${NO_MODEL_NOTE}`,
      citations: [
        { title: 'Campaigns', href: '/campaigns' },
        { title: 'Campaigns (docs)', href: '/docs/campaigns.html' },
      ],
      mode: 'intent',
    };
  return {
    answer: [
      `Campaigns (${period(now)}):`,
      ...list.map(
        (c) =>
          `- ${c.name} (${c.channel}, ${c.status}): ${
            Object.entries(c.totals)
              .filter(([, v]) => typeof v === 'number' && v > 0)
              .map(([k, v]) => `${k} ${n(v)}`)
              .join(', ') || 'nothing sent yet'
          }`,
      ),
      '',
      NO_MODEL_NOTE,
    ].join('\n'),
    citations: list.slice(0, 5).map((c) => ({
      title: `${c.name} — report`,
      href: `/campaigns/${encodeURIComponent(c.id)}/report`,
    })),
    data: [
      {
        title: 'Sent per campaign',
        points: list.map((c) => ({ label: c.name, value: c.totals['sent'] ?? 0 })),
      },
    ],
    mode: 'intent',
  };
}

const ms = (x: number | null, over: boolean): string =>
  x === null ? 'n/a' : `${over && x >= 10_000 ? 'over ' : '≤ '}${n(x)} ms`;

/** Custom actions: calls, errors and durations; `named` narrows to the action the question names. */
export function actionsAnswer(
  all: readonly ActionFigures[],
  named: string | null,
  now: number,
): AssistantAnswer {
  const list = named === null ? all : all.filter((a) => a.name === named);
  const docs: Citation = {
    title: 'Custom actions (docs)',
    href: '/docs/concepts/journeys.html',
  };
  if (list.length === 0)
    return {
      answer: `${
        named === null
          ? 'No custom action has been called yet in this sandbox'
          : `${named} has not been called yet in this sandbox`
      } (${period(now)}), so there is nothing to say about errors or latency.\n\n${NO_MODEL_NOTE}`,
      citations: [docs],
      mode: 'intent',
    };
  const lines = [`Custom actions (${period(now)}; durations from a histogram, so upper bounds):`];
  const citations: Citation[] = [];
  for (const a of list) {
    lines.push(
      `- ${a.name}: ${n(a.calls)} calls, ${n(a.errors)} errors (${pct(a.errors, a.calls)} error rate); mean ${a.meanMs === null ? 'n/a' : `${n(a.meanMs)} ms`}, p95 ${ms(a.p95Ms, a.overLastBound)}, slowest ${ms(a.maxMs, a.overLastBound)}. Called by ${a.journeys.map((j) => j.name).join(', ')}.`,
    );
    if (a.calls > 0 && a.errors / a.calls >= 0.05)
      lines.push(
        `  ${a.name} fails often: look at the error path of its activity in the journey report, and at the service itself.`,
      );
    if (a.p95Ms !== null && a.p95Ms >= 5000)
      lines.push(
        `  ${a.name} is slow: calls near the action's timeout end on the error path; the timeout is set on the action.`,
      );
    for (const j of a.journeys)
      if (!citations.some((c) => c.href === reportHref(j.id))) citations.push(reportCitation(j));
  }
  citations.push(docs);
  lines.push('', NO_MODEL_NOTE);
  return {
    answer: lines.join('\n'),
    citations,
    data: [
      {
        title: 'Calls and errors per action',
        points: list.flatMap((a) => [
          { label: `${a.name} calls`, value: a.calls },
          { label: `${a.name} errors`, value: a.errors },
        ]),
      },
      {
        title: 'p95 duration per action (ms, upper bound)',
        points: list.map((a) => ({ label: a.name, value: a.p95Ms ?? 0 })),
      },
    ],
    mode: 'intent',
  };
}

export function forbiddenAnswer(what: string, permission: string): AssistantAnswer {
  return {
    answer: `I cannot read ${what}: that needs the permission ${permission} in this sandbox, which you do not have. Ask an administrator if you need it.\n\n${NO_MODEL_NOTE}`,
    citations: [{ title: 'Access control', href: '/docs/access-control.html' }],
    mode: 'intent',
  };
}

export function noJourneysAnswer(): AssistantAnswer {
  return {
    answer: `This sandbox has no journey with entries yet, so none is the most used.\n\n${NO_MODEL_NOTE}`,
    citations: [{ title: 'Journeys', href: '/journeys' }],
    mode: 'intent',
  };
}

export function unknownJourneyAnswer(journeys: readonly JourneyFigures[]): AssistantAnswer {
  return {
    answer:
      (journeys.length === 0
        ? 'I found no journey of that name: this sandbox has no journeys you can see.'
        : `I found no journey of that name among those you can see: ${journeys.map((j) => j.name).join(', ')}. Ask about one of them by its name.`) +
      `\n\n${NO_MODEL_NOTE}`,
    citations: [{ title: 'Journeys', href: '/journeys' }],
    mode: 'intent',
  };
}
