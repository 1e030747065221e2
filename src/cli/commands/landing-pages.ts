// `waymark landing-pages list|get|publish|unpublish|report|link`: landing pages through the API
// (docs/landing-pages.md). Creating and editing one is `waymark apply` of a package, or the console.
import type { Command } from 'commander';
import type { LandingPage, LandingPageReport } from '../../model/landing-page.ts';
import { addClientOptions, call, clientOptions } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

const path = (slug: string, rest = ''): string =>
  `/v1/landing-pages/${encodeURIComponent(slug)}${rest}`;

export function registerLandingPageCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const pages = program
    .command('landing-pages')
    .description('hosted pages with forms: list, publish, unpublish, report, signed links');
  addClientOptions(pages.command('list').description('every landing page and its status')).action(
    async (o: Opts) => {
      const r = (await call(clientOptions(o), 'GET', '/v1/landing-pages')) as {
        items: Array<{ spec: LandingPage }>;
      };
      if (r.items.length === 0) out('no landing pages\n');
      for (const { spec: p } of r.items)
        out(
          `${p.slug.padEnd(28)} ${p.status.padEnd(12)} ${String(p.subPages.length).padStart(2)} sub-pages${p.expiresAt ? `  expires ${p.expiresAt}` : ''}  ${p.name}\n`,
        );
    },
  );
  addClientOptions(pages.command('get <slug>').description('a landing page as JSON')).action(
    async (slug: string, o: Opts) => {
      out(`${JSON.stringify(await call(clientOptions(o), 'GET', path(slug)), null, 2)}\n`);
    },
  );
  for (const verb of ['publish', 'unpublish'] as const)
    addClientOptions(
      pages
        .command(`${verb} <slug>`)
        .description(
          verb === 'publish'
            ? 'publish (every page must render): /lp/{sandbox}/{slug} answers'
            : 'unpublish: the address answers 404',
        ),
    ).action(async (slug: string, o: Opts) => {
      const r = (await call(clientOptions(o), 'POST', path(slug, `/${verb}`))) as {
        spec: LandingPage;
      };
      out(`${r.spec.slug} ${r.spec.status}\n`);
    });
  addClientOptions(
    pages
      .command('report <slug>')
      .description('views, submissions, refused and conversions, per page'),
  ).action(async (slug: string, o: Opts) => {
    const r = (await call(clientOptions(o), 'GET', path(slug, '/report'))) as LandingPageReport;
    out(
      `${r.slug}: views ${r.views}  submissions ${r.submissions}  refused ${r.refused}  conversions ${r.conversions}  (${(r.conversionRate * 100).toFixed(1)}% of views)\n`,
    );
    for (const p of r.pages)
      out(
        `  ${(p.subPage ?? '(primary)').padEnd(24)} views ${String(p.views).padStart(6)}  submissions ${String(p.submissions).padStart(6)}  refused ${String(p.refused).padStart(5)}  conversions ${String(p.conversions).padStart(6)}\n`,
      );
  });
  addClientOptions(
    pages
      .command('link <slug>')
      .description("the page's address; with --profile, signed for that profile as emails carry it")
      .option('--profile <id>', 'a profile id'),
  ).action(async (slug: string, o: Opts & { profile?: string }) => {
    const q = o.profile ? `?profileId=${encodeURIComponent(o.profile)}` : '';
    const r = (await call(clientOptions(o), 'GET', path(slug, `/link${q}`))) as {
      url: string;
      profileUrl?: string;
    };
    out(`${r.profileUrl ?? r.url}\n`);
  });
}
