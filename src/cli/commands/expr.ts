// `waymark expr`: evaluate and check journey expressions.
// Wiring: import { registerExprCommand } from './commands/expr.ts'; registerExprCommand(program);
//   waymark expr eval '<expr>' [--context ctx.json] [--schema scope.json]   -> {"value": ..., "type": "..."} | {"error": {...}} (exit 1)
//   waymark expr eval --jsonl < checks.jsonl                                 -> one result a line for {"expr", "context"} lines
//   waymark expr check '<expr>' --schema scope.json [--event Name=schema.json] [--profile schema.json]
//                      [--action Name=schema.json] [--audience name] [--expect boolean|dateTimeOnly|any]
// A scope file is {"events": {"Name": <JSON Schema>}, "profile": <JSON Schema>, "actions": {...}, "audiences": [...]}
// (JSON or YAML). A context file is {"events", "profile", "actions", "audiences", "dataSources", "now", "timeZone", "seed"}.
import type { Command } from 'commander';
import { processIo, type CommandIo } from '../command-io.ts';
import type { CheckOptions, EvalOptions } from './expr-run.ts';

/** What `waymark expr` reads and writes (the process, or buffers in a test). */
export type ExprCliIo = CommandIo;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function withScopeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--schema <file>',
      'scope file: {"events", "profile", "actions", "audiences"} (JSON or YAML); repeatable',
      collect,
    )
    .option('--event <name=file>', 'an event type and its payload JSON Schema; repeatable', collect)
    .option(
      '--action <name=file>',
      'a custom action and its response JSON Schema; repeatable',
      collect,
    )
    .option('--profile <file>', 'the profile JSON Schema')
    .option('--audience <name>', 'a known audience name; repeatable', collect)
    .option(
      '--expect <type>',
      'expected result type: boolean (conditions), dateTimeOnly (custom waits) or any',
    );
}

export function registerExprCommand(program: Command, io: ExprCliIo = processIo): Command {
  const expr = program.command('expr').description('Evaluate and type-check journey expressions');
  withScopeOptions(
    expr
      .command('eval')
      .description(
        'Evaluate an expression against a context file; --jsonl evaluates {"expr","context"} lines from standard input',
      )
      .argument('[expression]', 'the expression')
      .option(
        '--context <file>',
        'context: {"events", "profile", "actions", "audiences", "dataSources", "now"} (JSON or YAML)',
      )
      .option(
        '--jsonl',
        'read one {"expr", "context"} object a line on standard input, write one result a line',
      ),
  ).action(async (expression: string | undefined, o: EvalOptions) => {
    const { runEval } = await import('./expr-run.ts');
    await runEval(io, expression, o);
  });

  withScopeOptions(
    expr
      .command('check')
      .description('Type-check an expression against event, profile and action schemas')
      .argument('<expression>', 'the expression'),
  ).action(async (expression: string, o: CheckOptions) => {
    const { runCheck } = await import('./expr-run.ts');
    await runCheck(io, expression, o);
  });
  return expr;
}
