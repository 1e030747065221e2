// `waymark ask "…"`: one question to the Assistant (POST /v1/assistant/chat), its answer, its
// sources and, for data answers, the figures as a small table. `--conversation <id>` continues a
// conversation; `--json` prints the API's answer as it came.
import type { Command } from 'commander';
import { addClientOptions, call, clientOptions } from '../client.ts';

type Opts = {
  url: string;
  key?: string;
  data: string;
  sandbox: string;
  conversation?: string;
  json?: boolean;
};
type Out = (text: string) => void;

export interface AskAnswer {
  answer: string;
  citations: Array<{ title: string; href: string }>;
  data?: Array<{ title: string; points: Array<{ label: string; value: number }> }>;
  conversationId: string;
}

/** Relative links made absolute against the server, so a terminal can open them. */
const absolute = (href: string, base: string): string =>
  href.startsWith('/') ? `${base}${href}` : href;

export function formatAnswer(a: AskAnswer, base: string): string {
  const lines = [a.answer.replace(/\*\*/g, ''), ''];
  for (const d of a.data ?? []) {
    lines.push(`${d.title}:`);
    const width = Math.max(...d.points.map((p) => p.label.length), 4);
    const max = Math.max(...d.points.map((p) => p.value), 1);
    for (const p of d.points)
      lines.push(
        `  ${p.label.padEnd(width)}  ${String(p.value).padStart(7)}  ${'█'.repeat(Math.round((20 * p.value) / max))}`,
      );
    lines.push('');
  }
  if (a.citations.length > 0) {
    lines.push('Sources:');
    for (const c of a.citations) lines.push(`  ${c.title}: ${absolute(c.href, base)}`);
    lines.push('');
  }
  lines.push(
    `(conversation ${a.conversationId}: continue with --conversation ${a.conversationId})`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerAskCommand(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  addClientOptions(
    program
      .command('ask <question>')
      .description(
        "Ask the Assistant about the product or your sandbox's figures (read with your key's permissions; it changes nothing)",
      )
      .option('--conversation <id>', 'continue this conversation')
      .option('--json', 'print the answer as JSON'),
  ).action(async (question: string, o: Opts) => {
    const c = clientOptions(o);
    const a = (await call(c, 'POST', '/v1/assistant/chat', {
      messages: [{ role: 'user', content: question }],
      ...(o.conversation ? { conversationId: o.conversation } : {}),
    })) as AskAnswer;
    out(o.json ? `${JSON.stringify(a, null, 2)}\n` : formatAnswer(a, c.url));
  });
}
