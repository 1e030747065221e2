// Where each part of the console is explained in the documentation site (served by `waymark serve`
// at /docs, so it works offline). One map, topic → page and section; test/docs/site.test.ts checks
// that every href names a built page and an anchor that exists. Pure data and a path lookup.
import type { ObjectKind } from './menu.ts';

export interface HelpTopic {
  /** What the link opens, in words ("Help: Journeys"). */
  readonly title: string;
  /** A page of the built site, with its section. */
  readonly href: string;
}

export const HELP = {
  console: { title: 'Documentation', href: '/docs/' },
  journeys: { title: 'Journeys', href: '/docs/concepts/journeys.html' },
  journeyEditor: { title: 'Journey activities', href: '/docs/concepts/journeys.html#activities' },
  expressions: { title: 'Expression functions', href: '/docs/reference/functions.html' },
  reports: { title: 'What to watch', href: '/docs/guides/on-call.html#what-to-watch' },
  campaigns: { title: 'Campaigns', href: '/docs/campaigns.html' },
  campaignApprovals: { title: 'Campaign approvals', href: '/docs/campaigns.html#approvals' },
  landingPages: { title: 'Landing pages', href: '/docs/landing-pages.html' },
  audiences: { title: 'Audiences', href: '/docs/audiences.html#an-audience-object' },
  profiles: {
    title: 'Profiles and identities',
    href: '/docs/concepts/profiles.html#reading-and-changing-profiles',
  },
  content: { title: 'Content', href: '/docs/concepts/content.html' },
  personalization: {
    title: 'Personalization functions',
    href: '/docs/reference/personalization.html',
  },
  events: { title: 'Events', href: '/docs/concepts/events.html#sending-events' },
  actions: { title: 'Custom actions', href: '/docs/reference/objects.html#custom-action-action' },
  rules: { title: 'Business rules', href: '/docs/concepts/rules.html' },
  delivery: { title: 'Delivery', href: '/docs/concepts/delivery.html' },
  objects: { title: 'Objects', href: '/docs/reference/objects.html' },
  packages: { title: 'Packages', href: '/docs/packages.html' },
  deadLetters: {
    title: 'Dead letters',
    href: '/docs/guides/on-call.html#dead-letters-refused-events',
  },
  systemStatus: {
    title: 'System status',
    href: '/docs/observability.html#system-status-in-the-console',
  },
  approvals: { title: 'Approvals', href: '/docs/access-control.html#approvals' },
  roles: { title: 'Roles and permissions', href: '/docs/access-control.html#the-model' },
  users: {
    title: 'People and API keys',
    href: '/docs/access-control.html#first-start-people-and-api-keys',
  },
  sandboxes: { title: 'Sandboxes', href: '/docs/access-control.html#sandboxes' },
  auditLog: { title: 'Audit log', href: '/docs/access-control.html#audit-log' },
  offers: { title: 'Offers (decisioning)', href: '/docs/offers.html' },
  segment: { title: 'Segment sources', href: '/docs/segment.html#the-source-how-calls-map' },
} as const satisfies Record<string, HelpTopic>;

export type HelpTopicName = keyof typeof HELP;

/** The topic of each object kind's page. */
export const OBJECT_HELP: Record<ObjectKind, HelpTopicName> = {
  'event-types': 'events',
  actions: 'actions',
  audiences: 'audiences',
  'content-templates': 'content',
  fragments: 'content',
  'rule-sets': 'rules',
  'channel-configurations': 'delivery',
  namespaces: 'profiles',
  'language-settings': 'content',
  assets: 'content',
  'profile-schemas': 'profiles',
  offers: 'offers',
  placements: 'offers',
  'decision-policies': 'offers',
  'segment-sources': 'segment',
};

/** Console paths, longest prefix first: the top bar's "?" opens the topic of the page shown. */
const BY_PATH: readonly (readonly [string, HelpTopicName])[] = [
  ['/journeys/', 'journeyEditor'],
  ['/journeys', 'journeys'],
  ['/campaigns', 'campaigns'],
  ['/landing-pages', 'landingPages'],
  ['/reports', 'reports'],
  ['/approvals', 'approvals'],
  ['/profiles', 'profiles'],
  ['/translation-projects', 'content'],
  ['/dead-letters', 'deadLetters'],
  ['/system', 'systemStatus'],
  ['/packages', 'packages'],
  ['/inbox', 'delivery'],
  ['/admin/roles', 'roles'],
  ['/admin/users', 'users'],
  ['/admin/api-keys', 'users'],
  ['/admin/sandboxes', 'sandboxes'],
  ['/admin/audit-log', 'auditLog'],
];

/** The help topic of a console path (the documentation's home when none is more precise). */
export function helpTopicForPath(path: string): HelpTopicName {
  const object = /^\/objects\/([^/]+)/.exec(path)?.[1];
  if (object && object in OBJECT_HELP) return OBJECT_HELP[object as ObjectKind];
  if (/^\/(journeys|campaigns)\/[^/]+\/report$/.test(path)) return 'reports';
  for (const [prefix, topic] of BY_PATH)
    if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))
      return topic;
  if (path === '/') return 'journeys';
  return 'console';
}
