// `waymark render`: personalization without a server.
// Wiring: import { registerRenderCommand } from './commands/render.ts'; registerRenderCommand(program);
//   waymark render --inline '<template>' --data data.json [--now ISO-8601]   -> the rendered text | {"error": ...} (exit 1)
//   waymark render --jsonl < cases.jsonl                                     -> {"output"} | {"error"} a line for {"template", "data", "now"} lines
//   waymark render --message message.json --data data.json [--now ISO-8601]  -> the RenderOutcome as JSON (exit 1 unless ok)
//   waymark render --template <contentTemplateId> --library lib.json --data data.json
// --library: JSON or YAML {"fragments": [...], "contentTemplates": [...], "languageSettings": [...], "assets": [...]}.
// data.json holds the template's root names: {"profile": {...}, "context": {"journey": {"events": {...}, "actions": {...}}}, "audiences": {...}}.
import type { Command } from 'commander';
import type { RenderCliIo, RenderOptions } from './render-run.ts';

export function registerRenderCommand(program: Command, io?: RenderCliIo): void {
  program
    .command('render')
    .description(
      'render personalized content locally: a bare template (--inline), JSON lines (--jsonl) or a message file (--message)',
    )
    .option('--inline <template>', 'a template in the Handlebars or {% %} form')
    .option('--data <file>', 'JSON (or YAML) with the root names: profile, context, audiences')
    .option('--now <iso>', 'the clock, ISO-8601 (default: now)')
    .option(
      '--jsonl',
      'read {"template", "data", "now"} lines from standard input, write {"output"} or {"error"} lines',
    )
    .option('--message <file>', 'a message content file (email, push or SMS)')
    .option('--template <id>', 'a content template of the library, applied')
    .option(
      '--library <file>',
      'fragments, contentTemplates, languageSettings and assets (JSON or YAML)',
    )
    .action(async (opts: RenderOptions) => {
      const { runRender } = await import('./render-run.ts');
      await runRender(opts, io);
    });
}
