// `waymark <arguments>` with its code loaded ahead of time, for bench/crash-safety.ts: the next
// server is spawned while the current one still runs, loads every module src/cli/main.ts imports
// and the ones the serve command loads only when it runs (src/cli/commands/serve-run.ts: the whole
// server; most of the seconds a start takes, on a busy machine many), says so, and waits for a line on
// stdin. Only then does it run src/cli/main.ts with its own arguments (`serve --data …`), exactly
// as bin/waymark.js would: the data folder, the store and the port are untouched until then, so a
// restart after a SIGKILL still opens, recovers and serves the same data from nothing.
// Run as: node --import tsx bench/warm-serve.ts serve --data <dir> … (bench/warm-server.ts does).
import { readFileSync } from 'node:fs';
import { CODE_LOADED } from './warm-server.ts';

const main = new URL('../src/cli/main.ts', import.meta.url);
const serve = new URL('../src/cli/commands/serve.ts', import.meta.url);
// The modules main.ts imports, and those serve.ts imports when its action runs (`await import`),
// read from their sources so that this follows them.
const staticImports = /^import\s(?!type\s)[^;]*?from\s+'([^']+)';/gms;
const dynamicImports = /\bawait import\('([^']+)'\)/g;
const modules = [
  ...[...readFileSync(main, 'utf8').matchAll(staticImports)].map((m) => ({ s: m[1]!, from: main })),
  ...[...readFileSync(serve, 'utf8').matchAll(dynamicImports)].map((m) => ({
    s: m[1]!,
    from: serve,
  })),
];
for (const { s, from } of modules) await import(s.startsWith('.') ? new URL(s, from).href : s);
process.stdout.write(`${CODE_LOADED}\n`);

await new Promise<void>((resolve) => {
  process.stdin.once('data', () => resolve());
});
process.stdin.destroy();
await import(main.href);
