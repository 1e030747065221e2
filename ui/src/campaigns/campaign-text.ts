// The campaign pages' words and numbers: statuses, schedules in a marketer's words, wall-clock times
// in a time zone, a new campaign's definition, and the trigger call as cURL. Pure: no I/O.
import {
  formatLocal,
  instantToLocal,
  isValidZone,
  localToInstant,
} from '@waymark/shared/expr/time.ts';
import type {
  CampaignChannel,
  CampaignCounts,
  CampaignDef,
  CampaignSchedule,
  CampaignStatus,
  CreateCampaign,
} from './campaign-api.ts';

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  inReview: 'In review',
  scheduled: 'Scheduled',
  live: 'Live',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
};

export const CHANNEL_LABEL: Record<CampaignChannel, string> = {
  email: 'Email',
  push: 'Push',
  sms: 'SMS',
  inApp: 'In-app message',
  code: 'Code-based experience',
};

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const fmt = new Intl.NumberFormat('en-US');
export const count = (n: number | undefined): string => (n === undefined ? '–' : fmt.format(n));
/** 0.1234 → "12.3%". */
export const percent = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
/** A lift with its sign: 0.052 → "+5.2%". */
export const signedPercent = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/** A name made into an id the server accepts: "Luma - Spring Sale" → "luma-spring-sale". */
export const campaignSlug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'campaign';

/** The first definition of a campaign, from the properties step. */
export function newCampaign(p: {
  name: string;
  description: string;
  type: CampaignDef['type'];
  mode: CampaignDef['mode'];
  channel: CampaignChannel;
  id: string;
}): CreateCampaign {
  return {
    id: p.id,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    type: p.type,
    mode: p.mode,
    action: { channel: p.channel, configuration: '', content: { channel: p.channel } },
    schedule: { kind: 'now' },
    labels: [],
  };
}

/** "2027-03-01T09:00" on the wall clock of `timeZone` → the instant, ISO in UTC; null when unreadable. */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m || !isValidZone(timeZone)) return null;
  const ms = localToInstant(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!), timeZone);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An ISO instant → "2027-03-01T09:00" on the wall clock of `timeZone` (for a datetime-local input). */
export function isoToZoned(iso: string | undefined, timeZone: string): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms) || !isValidZone(timeZone)) return '';
  return formatLocal(instantToLocal(ms, timeZone)).slice(0, 16);
}

/** An instant for people, in a time zone: "Mar 1, 2027, 09:00 (Europe/Paris)". */
export function when(iso: string | null | undefined, timeZone = 'UTC'): string {
  if (!iso) return '–';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  try {
    const text = new Intl.DateTimeFormat('en-US', {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
    }).format(new Date(ms));
    return `${text} (${timeZone})`;
  } catch {
    return iso;
  }
}

/** The schedule in a sentence. */
export function scheduleText(
  s: CampaignSchedule,
  timeZone: string,
  type: CampaignDef['type'],
): string {
  switch (s.kind) {
    case 'now':
      return type === 'api-triggered' ? 'Accepts calls once activated' : 'As soon as activated';
    case 'at':
      return type === 'api-triggered'
        ? `Accepts calls from ${when(s.at, timeZone)}${s.endAt ? ` until ${when(s.endAt, timeZone)}` : ''}`
        : `Once, ${when(s.at, timeZone)}`;
    case 'recurring': {
      const r = s.recurrence;
      const end = ` until ${when(s.endAt, timeZone)}`;
      switch (r.frequency) {
        case 'daily':
          return `${r.every === 1 ? 'Every day' : `Every ${r.every} days`} at ${r.time}${end}`;
        case 'weekly':
          return `${r.every === 1 ? 'Every week' : `Every ${r.every} weeks`} on ${r.weekdays
            .map((d) => WEEKDAYS[d])
            .join(', ')} at ${r.time}${end}`;
        case 'monthly':
          return `${r.every === 1 ? 'Every month' : `Every ${r.every} months`} on day ${r.dayOfMonth} at ${r.time}${end}`;
        case 'cron':
          return `On the cron schedule ${r.expression}${end}`;
      }
    }
  }
}

export const EXCLUSION_LABEL: Record<keyof CampaignCounts['excludedBy'], string> = {
  consent: 'No marketing consent',
  capping: 'Frequency capping',
  suppression: 'Suppressed address',
  missingAddress: 'No address',
  missingIdentity: 'No identity in the namespace',
  throttleCap: 'Over the message cap',
  holdout: 'Holdout',
  stopped: 'Campaign stopped',
  renderError: 'Render error',
};

/** The counts a report shows, in order, with their labels. */
export const COUNT_COLUMNS = [
  ['targeted', 'Targeted'],
  ['excluded', 'Excluded'],
  ['sent', 'Sent'],
  ['delivered', 'Delivered'],
  ['bounced', 'Bounced'],
  ['opened', 'Opened'],
  ['clicked', 'Clicked'],
  ['unsubscribed', 'Unsubscribed'],
  ['errors', 'Errors'],
] as const satisfies ReadonlyArray<readonly [keyof CampaignCounts, string]>;

/** The trigger call of an API-triggered campaign, ready to paste into a terminal. */
export function triggerCurl(p: {
  origin: string;
  campaignId: string;
  sandbox: string;
  namespace: string | undefined;
  mode: CampaignDef['mode'];
  /** The campaign's sample context, when it has one. */
  context?: Readonly<Record<string, unknown>> | undefined;
}): string {
  const recipient =
    p.mode === 'transactional' && !p.namespace
      ? { address: 'someone@example.com' }
      : { identity: 'someone@example.com', ...(p.namespace ? { namespace: p.namespace } : {}) };
  const body = {
    requestId: 'order-10001',
    recipients: [recipient],
    context: p.context ?? { order: { id: '10001' } },
  };
  return [
    `curl -X POST '${p.origin}/v1/campaigns/${encodeURIComponent(p.campaignId)}/trigger' \\`,
    `  -H "authorization: Bearer $WAYMARK_API_KEY" \\`,
    `  -H 'x-sandbox-name: ${p.sandbox}' \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d '${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}'`,
  ].join('\n');
}

const FIELD_NAME: ReadonlyArray<readonly [RegExp, string]> = [
  [/^audience\.namespace/, 'Identity namespace'],
  [/^audience/, 'Audience'],
  [/^namespace/, 'Identity namespace'],
  [/^action\.configuration/, 'Channel configuration'],
  [/^action\.ruleSet/, 'Business rule set'],
  [/^(action|experiment\.treatments\.\d+)\.content\.subject/, 'Subject'],
  [/^(action|experiment\.treatments\.\d+)\.content\.(html|document)/, 'Email body'],
  [/^(action|experiment\.treatments\.\d+)\.content\.title/, 'Push title'],
  [/^(action|experiment\.treatments\.\d+)\.content\.body/, 'Push body'],
  [/^(action|experiment\.treatments\.\d+)\.content\.text/, 'SMS text'],
  [/^(action|experiment\.treatments\.\d+)\.content/, 'Content'],
  [/^schedule/, 'Schedule'],
  [/^timeZone/, 'Time zone'],
  [/^throttle/, 'Throttling'],
  [/^useProfileTimeZone/, "Profile's time zone"],
  [/^experiment/, 'Experiment'],
];

/** A problem's field in a marketer's words: "action.content.subject" → "Subject"; a treatment's is named by its number. */
export function fieldName(path: string): string {
  const name = FIELD_NAME.find(([re]) => re.test(path))?.[1] ?? (path || 'Campaign');
  const t = /^experiment\.treatments\.(\d+)\.content/.exec(path);
  return t ? `${name} (treatment ${Number(t[1]) + 1})` : name;
}

/** A validation message without the schema's jargon. */
export const problemText = (message: string): string =>
  /expected \w+, received undefined/i.test(message)
    ? 'missing'
    : message.replace(/^Invalid input: /, '');

/** Whether a message has anything to render yet. */
export function hasContent(channel: CampaignChannel, c: Record<string, unknown>): boolean {
  const some = (...keys: string[]) =>
    keys.some((k) => (typeof c[k] === 'string' && c[k] !== '') || (k === 'document' && !!c[k]));
  switch (channel) {
    case 'email':
      return some('subject', 'html', 'document', 'template');
    case 'push':
      return some('title', 'body', 'template');
    case 'sms':
      return some('text', 'template');
    case 'inApp':
      return some('title', 'body');
    case 'code':
      return some('payload');
  }
}

/** Treatment ids for a new experiment: "a", "b", … */
export const treatmentId = (i: number): string => String.fromCharCode(97 + i);

/** Splits 100% evenly between n treatments (the first ones take the remainder of a whole split). */
export function evenSplit(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}
