// `waymark render` when it runs: the content code that renders, without a server. render.ts
// registers the command and loads this module only then.
import { parseInstant } from '../../expr/time.ts';
import {
  applyContentTemplate,
  compileMessage,
  createLibrary,
  renderInline,
  type ContentLibrary,
  type RenderInput,
} from '../../content/index.ts';
import { processIo, type CommandIo } from '../command-io.ts';
import { CommandInputError, readDataFile } from '../data-file.ts';

/** What `waymark render` reads and writes (the process, or buffers in a test). */
export type RenderCliIo = CommandIo;

const emptyLibrary: ContentLibrary = {
  fragment: () => undefined,
  contentTemplate: () => undefined,
  languageSettings: () => undefined,
  asset: () => undefined,
};

function parseNow(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    // A zone id in brackets too (2025-01-07T12:17:10+05:30[Asia/Kolkata]), as the expressions take it.
    const at = parseInstant(v);
    if (at !== null) return at.ms;
  }
  throw new CommandInputError(
    `now must be an ISO-8601 date-time (with Z, an offset or a [zone id]) or epoch milliseconds, got ${JSON.stringify(v)}`,
  );
}

async function readData(io: RenderCliIo, path: string | undefined): Promise<unknown> {
  return path === undefined ? {} : readDataFile(io, path);
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export interface RenderOptions {
  readonly inline?: string;
  readonly data?: string;
  readonly now?: string;
  readonly jsonl?: boolean;
  readonly message?: string;
  readonly template?: string;
  readonly library?: string;
}

export async function runRender(opts: RenderOptions, io: RenderCliIo = processIo): Promise<void> {
  const fail = (error: unknown): void => {
    io.write(JSON.stringify({ error }));
    io.setExitCode(1);
  };
  try {
    if (opts.jsonl === true) {
      for await (const line of io.stdinLines()) {
        if (line.trim() === '') continue;
        let c: Record<string, unknown>;
        try {
          c = rec(JSON.parse(line));
        } catch (e) {
          io.write(
            JSON.stringify({
              error: {
                code: 'bad_input',
                message: `not JSON: ${e instanceof Error ? e.message : String(e)}`,
              },
            }),
          );
          continue;
        }
        if (typeof c['template'] !== 'string') {
          io.write(
            JSON.stringify({ error: { code: 'bad_input', message: 'template must be a string' } }),
          );
          continue;
        }
        let now: number;
        try {
          now = parseNow(c['now'], io.now());
        } catch (e) {
          io.write(JSON.stringify({ error: { code: 'bad_input', message: (e as Error).message } }));
          continue;
        }
        const r = renderInline(c['template'], c['data'] ?? {}, now);
        io.write(JSON.stringify(r.ok ? { output: r.output } : { error: r.error }));
      }
      return;
    }
    const now = parseNow(opts.now, io.now());
    const data = await readData(io, opts.data);
    if (opts.inline !== undefined) {
      const r = renderInline(opts.inline, data, now);
      if (r.ok) io.write(r.output);
      else fail(r.error);
      return;
    }
    if (opts.message !== undefined || opts.template !== undefined) {
      let library: ContentLibrary = emptyLibrary;
      if (opts.library !== undefined) {
        const l = rec(await readData(io, opts.library));
        const list = (k: string): unknown[] => (Array.isArray(l[k]) ? (l[k] as unknown[]) : []);
        try {
          library = createLibrary({
            fragments: list('fragments'),
            contentTemplates: list('contentTemplates'),
            languageSettings: list('languageSettings'),
            assets: list('assets'),
          });
        } catch (e) {
          throw new CommandInputError(
            `${opts.library}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      let content: unknown;
      if (opts.template !== undefined) {
        const t = library.contentTemplate(opts.template);
        if (t === undefined)
          throw new CommandInputError(
            `content template "${opts.template}" is not in the library (give --library)`,
          );
        content = applyContentTemplate(t);
      } else {
        content = await readData(io, opts.message);
      }
      const compiled = await compileMessage(
        content as Parameters<typeof compileMessage>[0],
        library,
      );
      if (!compiled.ok) {
        fail({
          code: 'invalid_content',
          message: compiled.diagnostics[0]?.message ?? 'invalid',
          diagnostics: compiled.diagnostics,
        });
        return;
      }
      const d = rec(data);
      const ctx = rec(rec(d['context'])['journey']);
      const input: RenderInput = {
        profile: d['profile'],
        context: {
          journey: {
            events: rec(ctx['events']),
            actions: rec(ctx['actions']),
            technicalProperties: rec(ctx['technicalProperties']),
          },
        },
        audiences: rec(d['audiences']) as Record<string, 'realized' | 'exited'>,
        now,
      };
      const out = compiled.message.render(input);
      io.write(JSON.stringify(out));
      if (!out.ok) io.setExitCode(1);
      return;
    }
    fail({
      code: 'bad_input',
      message: 'give --inline <template>, --message <file>, --template <id> or --jsonl',
    });
  } catch (e) {
    fail({
      code: e instanceof CommandInputError ? 'bad_input' : 'internal',
      message: e instanceof Error ? e.message : String(e),
    });
  }
}
