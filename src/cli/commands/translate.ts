// `waymark translate --template <key>` starts a translation project through the server's configured
// provider (POST /v1/translation-projects) and, with --wait, follows it to the end;
// `waymark translation-projects [id]` lists projects or shows one with its locales.
import type { Command } from 'commander';
import {
  addClientOptions,
  call,
  clientOptions,
  CliError,
  positiveInt,
  type ClientOptions,
} from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface TargetView {
  locale: string;
  status: string;
  error?: string;
  attempts: number;
}
interface ProjectView {
  id: string;
  name: string;
  status: string;
  provider: string;
  languageSettings: string;
  sourceLocale: string;
  review: boolean;
  source: { kind: string; key?: string; channel?: string };
  targets: TargetView[];
  result?: { locales: Record<string, { subject?: string; title?: string; text?: string }> };
  createdAt: string;
  updatedAt: string;
}

const localeLine = (t: TargetView, p: ProjectView): string => {
  const v = p.result?.locales[t.locale];
  const sample = v?.subject ?? v?.title ?? v?.text;
  return `  ${t.locale.padEnd(8)} ${t.status.padEnd(17)}${t.error ? ` ${t.error}` : sample !== undefined ? ` ${JSON.stringify(sample)}` : ''}\n`;
};

function describe(p: ProjectView): string {
  const source =
    p.source.kind === 'content-template'
      ? `content template ${p.source.key ?? ''}`
      : `${p.source.channel ?? ''} content`;
  return `${p.id}  ${p.status}\n  ${p.name} (${source}), ${p.sourceLocale} -> ${p.targets.map((t) => t.locale).join(', ')} by ${p.provider}${p.review ? ', with review' : ''}\n${p.targets.map((t) => localeLine(t, p)).join('')}`;
}

async function follow(
  c: ClientOptions,
  id: string,
  timeoutMs: number,
  intervalMs: number,
): Promise<ProjectView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = (await call(
      c,
      'GET',
      `/v1/translation-projects/${encodeURIComponent(id)}`,
    )) as ProjectView;
    if (p.status !== 'in_progress') return p;
    if (Date.now() > until)
      throw new CliError(
        `translation project ${id} is still in progress after ${Math.round(timeoutMs / 1000)} s (waymark translation-projects ${id} shows it)`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function registerTranslateCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  addClientOptions(
    program
      .command('translate')
      .description(
        'translate a content template into the other locales of its language settings (a translation project on the server)',
      )
      .requiredOption('--template <key>', 'the content template id')
      .option(
        '--to <locales>',
        'comma-separated target locales (default: every other locale of the language settings)',
      )
      .option('--from <locale>', "the source locale (default: the language settings' first)")
      .option('--language-settings <id>', "the language settings (default: the template's)")
      .option(
        '--provider <name>',
        "a configured provider by name or kind (default: the server's default); see GET /v1/translation-providers",
      )
      .option(
        '--review',
        'locales wait for review (approve, publish) instead of being written into the template',
      )
      .option('--wait', 'wait until the project is no longer in progress and show each locale')
      .option('--timeout <seconds>', 'with --wait, give up after this long', positiveInt, 600)
      .option('--json', 'print the project as JSON'),
  ).action(
    async (
      o: Opts & {
        template: string;
        to?: string;
        from?: string;
        languageSettings?: string;
        provider?: string;
        review?: boolean;
        wait?: boolean;
        timeout: number;
        json?: boolean;
      },
    ) => {
      const c = clientOptions(o);
      const targets = o.to
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const body = {
        source: { kind: 'content-template', key: o.template },
        ...(targets !== undefined ? { targets } : {}),
        ...(o.from !== undefined ? { sourceLocale: o.from } : {}),
        ...(o.languageSettings !== undefined ? { languageSettings: o.languageSettings } : {}),
        ...(o.provider !== undefined ? { provider: o.provider } : {}),
        ...(o.review ? { review: true } : {}),
      };
      const started = (
        (await call(c, 'POST', '/v1/translation-projects', body)) as { project: ProjectView }
      ).project;
      const p = o.wait ? await follow(c, started.id, o.timeout * 1000, 250) : started;
      out(
        o.json
          ? `${JSON.stringify(p, null, 2)}\n`
          : o.wait
            ? describe(p)
            : `translation project ${p.id} started: ${p.name}, ${p.sourceLocale} -> ${p.targets.map((t) => t.locale).join(', ')} by ${p.provider}\n  follow it with: waymark translation-projects ${p.id}\n`,
      );
      if (p.status === 'failed') process.exitCode = 1;
    },
  );

  addClientOptions(
    program
      .command('translation-projects [id]')
      .description(
        'translation projects, newest first, with the status of each locale; or one project with its translated subjects',
      )
      .option('--limit <n>', 'at most this many', positiveInt, 20)
      .option('--json', 'print JSON'),
  ).action(async (id: string | undefined, o: Opts & { limit: number; json?: boolean }) => {
    const c = clientOptions(o);
    if (id !== undefined) {
      const p = (await call(
        c,
        'GET',
        `/v1/translation-projects/${encodeURIComponent(id)}`,
      )) as ProjectView;
      out(o.json ? `${JSON.stringify(p, null, 2)}\n` : describe(p));
      return;
    }
    const r = (await call(c, 'GET', `/v1/translation-projects?limit=${o.limit}`)) as {
      items: ProjectView[];
    };
    if (o.json) {
      out(`${JSON.stringify(r.items, null, 2)}\n`);
      return;
    }
    if (r.items.length === 0) out('no translation projects\n');
    for (const p of r.items)
      out(
        `${p.id}  ${p.status.padEnd(16)} ${p.createdAt}  ${p.name}  ${p.targets.map((t) => `${t.locale}:${t.status}`).join(' ')}\n`,
      );
  });
}
