// Browser-test support: build the console once, start the real `waymark serve --demo` process, and
// give the browser one origin that serves the console and the API.
//
// Until `waymark serve` calls registerStaticUi itself, a small front server (the same
// registerStaticUi plus a pass-through of /v1 to the real process) provides that origin.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerStaticUi } from '../../../src/api/static.ts';
import { freePort } from '../../support/process.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
export const UI_DIST = join(REPO, 'ui', 'dist');

let built = false;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds ui/dist when it is missing or older than ui/ (fast when fresh). Test files run in parallel:
 * a lock folder lets one of them build while the others wait.
 */
export function buildUiOnce(): void {
  if (built) return;
  const lock = join(REPO, 'ui', '.build-lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000)
        throw new Error(
          `the web console build lock ${lock} is held for too long: remove it if no build runs`,
        );
      sleep(200);
    }
  }
  try {
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-ui.mjs')], {
      cwd: REPO,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the web console did not build:\n${r.stdout}\n${r.stderr}`);
    built = true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let sdkBuilt = false;

/** Builds the browser SDK (sdk/web/dist, served at /sdk/) when missing or stale, under its own lock. */
export function buildSdkOnce(): void {
  if (sdkBuilt) return;
  const lock = join(REPO, 'sdk', 'web', '.build-lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000)
        throw new Error(
          `the SDK build lock ${lock} is held for too long: remove it if no build runs`,
        );
      sleep(200);
    }
  }
  try {
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-sdk.mjs')], {
      cwd: REPO,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the browser SDK did not build:\n${r.stdout}\n${r.stderr}`);
    sdkBuilt = true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export { freePort };

export interface Running {
  /** The origin the browser opens: the console and the API. */
  readonly url: string;
  /** The API server itself. */
  readonly apiUrl: string;
  readonly key: string;
  readonly data: string;
  api(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/** The checkout whose `waymark serve` runs (WAYMARK_SERVE_REPO: another checkout, for development). */
const SERVE_REPO = process.env.WAYMARK_SERVE_REPO ?? REPO;

const supported = new Map<string, boolean>();

/**
 * Whether `waymark serve` of SERVE_REPO takes `flag`, once per flag: read from its option
 * definitions when they have it (a `serve --help` process loads the whole CLI, about two seconds of
 * CPU for every server started), from `serve --help` otherwise.
 */
function serveSupports(flag: string): boolean {
  const known = supported.get(flag);
  if (known !== undefined) return known;
  // Found in the source: settled. Not found (an older checkout, or the options moved): ask the CLI.
  const source = join(SERVE_REPO, 'src', 'cli', 'commands', 'serve.ts');
  let yes = existsSync(source) && readFileSync(source, 'utf8').includes(`'${flag} `);
  if (!yes) {
    const r = spawnSync(
      process.execPath,
      [join(SERVE_REPO, 'bin', 'waymark.js'), 'serve', '--help'],
      { cwd: SERVE_REPO, encoding: 'utf8' },
    );
    yes = r.stdout.includes(flag);
  }
  supported.set(flag, yes);
  return yes;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`waymark serve did not start in ${ms} ms:\n${out}`)),
      ms,
    );
    const on = (b: Buffer) => {
      out += b.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        ok(out);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`waymark serve exited (${code}):\n${out}`));
    });
  });
}

async function frontServer(apiUrl: string): Promise<FastifyInstance> {
  const f = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  f.removeAllContentTypeParsers();
  f.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const pass = async (req: FastifyRequest, reply: FastifyReply) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
        headers[k] = v;
    const res = await fetch(apiUrl + req.url, {
      method: req.method,
      headers,
      ...(req.body instanceof Buffer && req.body.length ? { body: req.body } : {}),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    void reply.status(res.status);
    // Every header but the framing ones: the session cookie, the security headers, the content type.
    for (const [k, v] of res.headers)
      if (
        ![
          'connection',
          'content-length',
          'content-encoding',
          'transfer-encoding',
          'keep-alive',
          'set-cookie',
        ].includes(k)
      )
        void reply.header(k, v);
    for (const cookie of res.headers.getSetCookie()) void reply.header('set-cookie', cookie);
    return reply.send(buf);
  };
  f.all('/v1/*', pass);
  f.get('/openapi.json', pass);
  f.get('/healthz', pass);
  await registerStaticUi(f, { root: UI_DIST });
  await f.listen({ port: 0, host: '127.0.0.1' });
  return f;
}

/** Starts `waymark serve --demo` on free ports with a fresh data folder (`args`: more options of serve). */
export async function startWaymark(opts: { args?: readonly string[] } = {}): Promise<Running> {
  buildUiOnce();
  buildSdkOnce();
  const data = mkdtempSync(join(tmpdir(), 'waymark-ui-'));
  // A free port is found before the server binds it: another test's process may take it between the
  // two (a race of parallel test files, not a product failure), so a port in use means new ports.
  let port = 0;
  let child: ChildProcess | null = null;
  for (let attempt = 1; child === null; attempt++) {
    port = await freePort();
    const args = [
      join(SERVE_REPO, 'bin', 'waymark.js'),
      'serve',
      '--demo',
      '--data',
      data,
      '--port',
      String(port),
      '--loyalty-port',
      String(await freePort()),
    ];
    if (serveSupports('--smtp-port')) args.push('--smtp-port', String(await freePort()));
    args.push(...(opts.args ?? []));
    const started = spawn(process.execPath, args, {
      cwd: SERVE_REPO,
      // Another checkout's dist/ (if any) was not built by this test run: it runs its sources.
      env: {
        ...process.env,
        WAYMARK_LOG_LEVEL: 'warn',
        ...(SERVE_REPO === REPO ? {} : { WAYMARK_RUN_DIST: '0' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForOutput(started, /running at/, 120_000);
      child = started;
    } catch (err) {
      started.kill('SIGKILL');
      if (attempt < 3 && /already in use/.test(String(err))) continue;
      rmSync(data, { recursive: true, force: true });
      throw err;
    }
  }
  const server = child;
  const apiUrl = `http://127.0.0.1:${port}`;
  const key = readFileSync(join(data, 'admin.key'), 'utf8').trim();
  const home = await fetch(`${apiUrl}/`).then(
    (r) => r.text(),
    () => '',
  );
  const front = home.includes('<div id="root">') ? null : await frontServer(apiUrl);
  const url = front
    ? `http://127.0.0.1:${(front.server.address() as { port: number }).port}`
    : apiUrl;
  return {
    url,
    apiUrl,
    key,
    data,
    async api(method, path, body) {
      const r = await fetch(apiUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return text ? JSON.parse(text) : null;
    },
    async close() {
      await front?.close();
      if (server.exitCode === null) {
        const exited = new Promise((ok) => server.once('exit', ok));
        server.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      if (existsSync(data)) rmSync(data, { recursive: true, force: true });
    },
  };
}
