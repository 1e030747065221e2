// The CLI's HTTP client: finds the server and key the way a user expects (flags, environment, then
// the local data folder's admin key).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';

export interface ClientOptions {
  url: string;
  key: string;
  sandbox: string;
}

export function addClientOptions(cmd: Command): Command {
  return cmd
    .option(
      '--url <url>',
      'server URL (env WAYMARK_URL)',
      process.env.WAYMARK_URL ?? 'http://127.0.0.1:4600',
    )
    .option('--key <key>', 'API key (env WAYMARK_API_KEY; default: the admin key in --data)')
    .option('--data <dir>', 'data folder holding admin.key', './.waymark')
    .option(
      '--sandbox <name>',
      'sandbox (env WAYMARK_SANDBOX)',
      process.env.WAYMARK_SANDBOX ?? 'prod',
    );
}

export function clientOptions(o: {
  url: string;
  key?: string;
  data: string;
  sandbox: string;
}): ClientOptions {
  let key = o.key ?? process.env.WAYMARK_API_KEY;
  const file = join(o.data, 'admin.key');
  if (!key && existsSync(file)) key = readFileSync(file, 'utf8').trim();
  if (!key)
    throw new CliError(`no API key: pass --key, set WAYMARK_API_KEY, or run where ${file} exists`);
  return { url: o.url.replace(/\/$/, ''), key, sandbox: o.sandbox };
}

export class CliError extends Error {}

export async function call(
  c: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  alsoOk: readonly number[] = [],
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${c.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${c.key}`,
        'x-sandbox-name': c.sandbox,
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
  } catch (e) {
    throw new CliError(
      `cannot reach ${c.url}: ${(e as Error).message}. Is \`waymark serve\` running?`,
    );
  }
  const text = await res.text();
  const parsed: unknown = text
    ? (() => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      })()
    : null;
  if (!res.ok && res.status !== 207 && !alsoOk.includes(res.status)) {
    const err = (
      parsed as { error?: { message?: string; issues?: Array<{ path: string; message: string }> } }
    )?.error;
    const issues = err?.issues?.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new CliError(`${res.status} ${err?.message ?? text}${issues ? `\n${issues}` : ''}`);
  }
  return parsed;
}

export const print = (value: unknown): void => {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
};

/** A commander option parser for counts and limits. */
export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/**
 * A profile named on the command line: `NAMESPACE ID` or `NAMESPACE:ID` (as `--profile` takes it).
 * Namespaces hold no colon, so the first one splits.
 */
export function identityArgs(
  namespace: string,
  id: string | undefined,
): [namespace: string, id: string] {
  if (id !== undefined) return [namespace, id];
  const at = namespace.indexOf(':');
  if (at > 0 && at < namespace.length - 1) return [namespace.slice(0, at), namespace.slice(at + 1)];
  throw new CliError(
    `a profile is NAMESPACE ID or NAMESPACE:ID (e.g. Email:jean@luma.example), not "${namespace}"`,
  );
}
