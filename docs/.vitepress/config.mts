// The documentation site (VitePress): `npm run docs` builds it into docs/.vitepress/dist, which
// `waymark serve` serves at /docs; `npm run docs:dev` serves it with live reload.
// Only a type is imported, so the config loads even where the site is not being built.
import type { UserConfig } from 'vitepress';

const config: UserConfig = {
  title: 'Waymark',
  description:
    'Open-source journey orchestration: real-time events, 1:1 journeys, email, push and SMS.',
  base: '/docs/',
  lang: 'en',
  cleanUrls: false,
  // The server's Content-Security-Policy allows no inline script: the page hash map goes in a file.
  metaChunk: true,
  lastUpdated: false,
  // Dead links fail the build (the link check of test/docs/site.test.ts also reads the built HTML).
  ignoreDeadLinks: false,
  markdown: {
    // Pages are Vue templates: `{{ … }}` in inline code (personalization samples) must stay text.
    config(md) {
      const inline = md.renderer.rules.code_inline;
      md.renderer.rules.code_inline = (tokens, idx, options, env, self) =>
        (inline
          ? inline(tokens, idx, options, env, self)
          : self.renderToken(tokens, idx, options)
        ).replace(/^<code/, '<code v-pre');
    },
  },
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Concepts', link: '/concepts/journeys' },
      { text: 'CLI', link: '/reference/cli' },
      { text: 'HTTP API', link: '/reference/api' },
    ],
    search: { provider: 'local' },
    outline: [2, 3],
    sidebar: [
      {
        text: 'Getting started',
        items: [
          { text: 'Introduction', link: '/' },
          { text: 'The lab in 15 minutes', link: '/getting-started' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'Journeys', link: '/concepts/journeys' },
          { text: 'Events', link: '/concepts/events' },
          { text: 'Profiles and identities', link: '/concepts/profiles' },
          { text: 'Audiences', link: '/concepts/audiences' },
          { text: 'Content', link: '/concepts/content' },
          { text: 'Delivery', link: '/concepts/delivery' },
          { text: 'In-app and code-based', link: '/concepts/in-app' },
          { text: 'Business rules', link: '/concepts/rules' },
        ],
      },
      {
        text: 'Guides',
        items: [
          { text: 'Migrating from AJO', link: '/guides/migrating-from-ajo' },
          { text: 'On call', link: '/guides/on-call' },
          { text: 'Running a fleet', link: '/fleet' },
          { text: 'Upgrades and retention', link: '/upgrades' },
          { text: 'Audiences in depth', link: '/audiences' },
          { text: 'Campaigns', link: '/campaigns' },
          { text: 'Offers (decisioning)', link: '/offers' },
          { text: 'Segment-spec ingestion', link: '/segment' },
          { text: 'Webhooks', link: '/webhooks' },
          { text: 'Exporting events', link: '/export' },
          { text: 'Landing pages', link: '/landing-pages' },
          { text: 'Web SDK (@waymark/web)', link: '/sdk/web' },
          { text: 'Experiments', link: '/experiments' },
          { text: 'Packages', link: '/packages' },
          { text: 'Observability', link: '/observability' },
          { text: 'The Assistant', link: '/assistant' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'CLI', link: '/reference/cli' },
          { text: 'HTTP API', link: '/reference/api' },
          // A static page beside the site (docs/public/reference), not a VitePress route: _self
          // makes the link a full page load.
          { text: 'HTTP API explorer', link: '/reference/api-explorer.html', target: '_self' },
          { text: 'Expression functions', link: '/reference/functions' },
          { text: 'Personalization', link: '/reference/personalization' },
          { text: 'Objects', link: '/reference/objects' },
        ],
      },
      {
        text: 'Security',
        items: [{ text: 'Access control', link: '/access-control' }],
      },
      {
        text: 'FAQ',
        items: [{ text: 'Questions and answers', link: '/faq' }],
      },
    ],
  },
};

export default config;
