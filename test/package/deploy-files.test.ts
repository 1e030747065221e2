// The deployment files, checked without a container engine (none runs on our machines): the
// Dockerfile's stages and runtime settings, compose.yaml against the Compose Specification's JSON
// schema (vendored in test/fixtures/compose-spec.json, from compose-spec/compose-spec's
// schema/compose-spec.json at 170098ba07d9), and the Kubernetes manifests' kinds,
// probes and ports. Every flag and environment variable they give Waymark must be one that
// `waymark serve` really reads. Each check returns its problems, and each is also run on a broken
// copy of its file to show it can fail.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { execForm, instructionsOf, parseDockerfile } from '../support/dockerfile.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** What `waymark serve` accepts: its flags (from --help) and environment variables (from --help and
 *  the sources that read the keys). */
const serve = (() => {
  const help = execFileSync(
    process.execPath,
    [join(root, 'bin', 'waymark.js'), 'serve', '--help'],
    {
      encoding: 'utf8',
    },
  );
  const keySources = [
    'src/cli/commands/serve.ts',
    'src/cli/commands/serve-run.ts',
    'src/runtime/secret-keyring.ts',
  ].map(read);
  const envIn = (text: string): string[] => text.match(/\bWAYMARK_[A-Z_]*[A-Z]\b/g) ?? [];
  return {
    flags: new Set(help.match(/--[a-z][a-z-]*/g)),
    env: new Set([...envIn(help), ...keySources.flatMap(envIn)]),
  };
})();

function unknownFlags(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith('--') && !serve.flags.has(a.split('=')[0]!));
}

function unknownEnv(names: Iterable<string>): string[] {
  return [...names].filter((n) => n.startsWith('WAYMARK_') && !serve.env.has(n));
}

describe('what waymark serve accepts, as the checks below read it', () => {
  test('holds the flags and keys a fleet is configured with', () => {
    for (const flag of ['--data', '--store', '--store-schema', '--nats', '--host', '--port'])
      assert.ok(serve.flags.has(flag), flag);
    for (const name of ['WAYMARK_STORE', 'WAYMARK_NATS', 'WAYMARK_ADMIN_KEY', 'WAYMARK_SECRET_KEY'])
      assert.ok(serve.env.has(name), name);
    assert.deepEqual(unknownFlags(['--nats', '--no-such-flag']), ['--no-such-flag']);
    assert.deepEqual(unknownEnv(['WAYMARK_NATS', 'WAYMARK_NO_SUCH']), ['WAYMARK_NO_SUCH']);
  });
});

function dockerfileProblems(text: string): string[] {
  const problems: string[] = [];
  const { stages } = parseDockerfile(text);
  const runtime = stages.at(-1);
  if (stages.length < 3 || !runtime) return [`${stages.length} stages, 3 expected`];
  const runs = (stage: (typeof stages)[number]): string =>
    instructionsOf(stage, 'RUN')
      .map((i) => i.args)
      .join('\n');
  const build = stages.find((s) => /\bnpm ci\b/.test(runs(s)) && /\bnpm pack\b/.test(runs(s)));
  if (!build) problems.push('no stage runs npm ci and npm pack');
  const install = stages.find((s) => /node \S*install-package\.mjs \S+\.tgz/.test(runs(s)));
  if (!install) problems.push('no stage installs the tarball with install-package.mjs');
  else if (
    !instructionsOf(install, 'COPY').some((c) => c.args.includes('scripts/install-package.mjs'))
  )
    problems.push(
      'the install stage does not copy scripts/install-package.mjs from the repository',
    );
  if (install === runtime) problems.push('the runtime stage installs (and so holds the compilers)');
  if (/(^|\s)(g\+\+|gcc|make|python3|build-essential)(\s|$)/m.test(runs(runtime)))
    problems.push('build tools in the runtime stage');
  if (/^node:\d+/.test(runtime.from) === false && !runtime.from.startsWith('${'))
    problems.push(`runtime image ${runtime.from} is not node`);
  const copies = instructionsOf(runtime, 'COPY').map((c) => c.args);
  if (!install?.name || !copies.some((c) => c.includes(`--from=${install.name}`)))
    problems.push('the runtime stage does not copy the installed folder from the install stage');

  const user = instructionsOf(runtime, 'USER').at(-1)?.args.split(':')[0];
  if (!user) problems.push('no USER in the runtime stage');
  else if (user === 'root' || user === '0') problems.push(`runs as ${user}`);
  const health = instructionsOf(runtime, 'HEALTHCHECK').at(-1);
  if (!health || !health.args.includes('/healthz')) problems.push('no HEALTHCHECK on /healthz');
  if (!instructionsOf(runtime, 'VOLUME').some((v) => /(^|["\s[])\/data\b/.test(v.args)))
    problems.push('no VOLUME /data');
  if (!instructionsOf(runtime, 'EXPOSE').some((e) => e.args.split(/\s+/).includes('4600')))
    problems.push('no EXPOSE 4600');

  const entrypoint = instructionsOf(runtime, 'ENTRYPOINT').at(-1);
  const entry = entrypoint && execForm(entrypoint);
  if (!entry || !/node_modules\/\.bin\/waymark$/.test(entry[0] ?? ''))
    problems.push('ENTRYPOINT is not the installed waymark bin (exec form)');
  const cmdInstruction = instructionsOf(runtime, 'CMD').at(-1);
  const cmd = (cmdInstruction && execForm(cmdInstruction)) ?? [];
  if (cmd[0] !== 'serve') problems.push('CMD does not run serve');
  if (cmd[cmd.indexOf('--host') + 1] !== '0.0.0.0' || !cmd.includes('--host'))
    problems.push('CMD does not listen on 0.0.0.0');
  if (cmd[cmd.indexOf('--data') + 1] !== '/data' || !cmd.includes('--data'))
    problems.push('CMD does not keep its data in /data');
  const port = cmd.includes('--port') ? cmd[cmd.indexOf('--port') + 1] : undefined;
  if (port !== '4600' || !health?.args.includes(`:${port}/healthz`))
    problems.push('CMD --port, EXPOSE and the healthcheck disagree');
  for (const flag of unknownFlags(cmd)) problems.push(`CMD: serve has no ${flag}`);
  return problems;
}

describe('Dockerfile', () => {
  const text = read('Dockerfile');

  test('builds the tarball, installs it with the tested script, and runs it unprivileged', () => {
    assert.deepEqual(dockerfileProblems(text), []);
    const names = parseDockerfile(text).stages.map((s) => s.name);
    assert.deepEqual(names, ['build', 'install', 'runtime']);
  });

  test('the check finds a root user, a missing healthcheck and compilers in the runtime', () => {
    const runtimeAt = text.lastIndexOf('FROM ');
    const broken =
      text.slice(0, runtimeAt) +
      text
        .slice(runtimeAt)
        .replace(/^USER node$/m, 'USER root')
        .replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, '')
        .replace(
          /^ENV NODE_ENV=production$/m,
          'ENV NODE_ENV=production\nRUN apt-get install -y g++',
        );
    assert.deepEqual(dockerfileProblems(broken), [
      'build tools in the runtime stage',
      'runs as root',
      'no HEALTHCHECK on /healthz',
      'CMD --port, EXPOSE and the healthcheck disagree',
    ]);
    const noScript = text.replace(/node \/pkg\/install-package\.mjs/, 'npm install -g');
    assert.ok(
      dockerfileProblems(noScript).includes(
        'no stage installs the tarball with install-package.mjs',
      ),
    );
  });

  test('.dockerignore keeps installed modules, builds and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', 'ui/dist', '.env', '.git', '.waymark'])
      assert.ok(ignored.includes(entry), entry);
  });
});

function composeValidator(): (doc: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The specification names its meta-schema https://json-schema.org/draft-07/schema (no `#`); Ajv
  // knows draft-07 under its http:// id, so it is registered under the spec's name as well.
  const require = createRequire(import.meta.url);
  const draft7 = JSON.parse(
    readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'),
  ) as Record<string, unknown>;
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  const validate = ajv.compile(JSON.parse(read('test/fixtures/compose-spec.json')) as object);
  return (doc) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
}

function composeProblems(doc: { services?: Record<string, ComposeService> }): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const engines = Object.entries(services).filter(([, s]) => s.command?.[0] === 'serve');
  if (engines.length < 2) problems.push(`${engines.length} engines, 2 expected`);
  for (const need of ['postgres', 'nats']) {
    if (!services[need]?.healthcheck?.test) problems.push(`${need} has no healthcheck`);
    if (!services[need]?.volumes?.length) problems.push(`${need} keeps no volume`);
  }
  if (!services['nats']?.command?.includes('-js')) problems.push('nats runs without JetStream');
  for (const [name, engine] of engines) {
    const cmd = engine.command ?? [];
    const after = (flag: string): string | undefined =>
      cmd.includes(flag) ? cmd[cmd.indexOf(flag) + 1] : undefined;
    if (!after('--store')?.startsWith('postgres://')) problems.push(`${name}: not on PostgreSQL`);
    if (after('--nats') !== 'nats://nats:4222') problems.push(`${name}: not on the nats service`);
    if (after('--host') !== '0.0.0.0') problems.push(`${name}: does not listen on 0.0.0.0`);
    if (!after('--public-url'))
      problems.push(`${name}: no --public-url (links would name 0.0.0.0)`);
    for (const flag of unknownFlags(cmd)) problems.push(`${name}: serve has no ${flag}`);
    for (const env of unknownEnv(Object.keys(engine.environment ?? {})))
      problems.push(`${name}: serve reads no ${env}`);
    if (!/\$\{WAYMARK_ADMIN_KEY[:?}]/.test(engine.environment?.['WAYMARK_ADMIN_KEY'] ?? ''))
      problems.push(`${name}: WAYMARK_ADMIN_KEY is not taken from the environment (.env)`);
    for (const need of ['postgres', 'nats'])
      if (engine.depends_on?.[need]?.condition !== 'service_healthy')
        problems.push(`${name}: does not wait for ${need} to be healthy`);
  }
  if (!engines.some(([, s]) => s.ports?.some((p) => p.endsWith(':4600'))))
    problems.push('no engine publishes the console (port 4600)');
  for (const [name, service] of Object.entries(services))
    if (service.image && !/:[\w.-]+$/.test(service.image.split('/').at(-1)!))
      problems.push(`${name}: image ${service.image} has no tag`);
    else if (service.image?.endsWith(':latest')) problems.push(`${name}: image ${service.image}`);
  return problems;
}

describe('compose.yaml', () => {
  const validate = composeValidator();
  const doc = parse(read('compose.yaml'), { merge: true }) as Record<string, unknown>;

  test('is valid under the Compose Specification schema', () => {
    assert.deepEqual(validate(doc), []);
  });

  test('the schema refuses what Compose would refuse', () => {
    assert.deepEqual(validate({ services: { engine: { imag: 'waymark' } } }), [
      '/services/engine must NOT have additional properties',
    ]);
    const wrongCondition = {
      services: {
        a: { image: 'x', depends_on: { b: { condition: 'healthy' } } },
        b: { image: 'x' },
      },
    };
    assert.ok(validate(wrongCondition).some((e) => e.includes('/depends_on')));
  });

  test('runs two engines on PostgreSQL and NATS JetStream, started once both are healthy', () => {
    assert.deepEqual(composeProblems(doc), []);
  });

  test('the check finds an engine with a flag serve does not have, or that does not wait', () => {
    const broken = parse(
      read('compose.yaml')
        .replace('- --nats\n', '- --nats-url\n')
        .replace(/ {4}- --public-url\n.*\n/, '')
        .replace('condition: service_healthy', 'condition: service_started')
        .replace('image: postgres:17-bookworm', 'image: postgres'),
      { merge: true },
    ) as Parameters<typeof composeProblems>[0];
    const problems = composeProblems(broken);
    assert.ok(problems.includes('engine-1: serve has no --nats-url'), problems.join('\n'));
    assert.ok(problems.includes('engine-2: does not wait for postgres to be healthy'));
    assert.ok(problems.includes('postgres: image postgres has no tag'));
    assert.ok(problems.includes('engine-2: no --public-url (links would name 0.0.0.0)'));
  });

  test('.env.example names every variable compose.yaml requires, and .env is not committed', () => {
    const required = new Set(
      [...read('compose.yaml').matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]!),
    );
    const example = new Set([...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!));
    assert.deepEqual([...required].sort(), [...example].sort());
    assert.ok(read('.gitignore').split('\n').includes('.env'));
  });
});

interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Container {
  image?: string;
  args?: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
  livenessProbe?: { httpGet?: { path?: string; port?: string | number } };
  securityContext?: { allowPrivilegeEscalation?: boolean };
}

function kubernetesProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const byKind = (kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
  const deployment = byKind('Deployment')[0];
  if (!deployment) return ['no Deployment'];
  const spec = deployment.spec as {
    replicas?: number;
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { securityContext?: { runAsNonRoot?: boolean }; containers?: Container[] };
    };
  };
  if ((spec.replicas ?? 1) < 2) problems.push(`${spec.replicas ?? 1} engine, 2 expected`);
  if (spec.template?.spec?.securityContext?.runAsNonRoot !== true)
    problems.push('pods may run as root');
  const container = spec.template?.spec?.containers?.[0];
  if (!container) return [...problems, 'no container'];
  const args = container.args ?? [];
  if (args[0] !== 'serve') problems.push('the container does not run serve');
  if (args[args.indexOf('--host') + 1] !== '0.0.0.0') problems.push('not listening on 0.0.0.0');
  if (!args.includes('--public-url')) problems.push('no --public-url (links would name 0.0.0.0)');
  for (const flag of unknownFlags(args)) problems.push(`serve has no ${flag}`);
  const port = container.ports?.find((p) => p.containerPort === 4600);
  if (!port) problems.push('no container port 4600');
  if (args[args.indexOf('--port') + 1] !== String(port?.containerPort))
    problems.push('--port is not the container port');
  for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
    const get = container[probe]?.httpGet;
    if (get?.path !== '/healthz') problems.push(`${probe} is not on /healthz`);
    if (get?.port !== port?.name && get?.port !== port?.containerPort)
      problems.push(`${probe} is not on the container port`);
  }
  if (container.image?.split(':')[0] !== 'waymark') problems.push('the image is not waymark');

  const configMaps = new Map(byKind('ConfigMap').map((m) => [m.metadata?.name, m.data ?? {}]));
  const envNames = (container.env ?? []).map((e) => e.name);
  for (const from of container.envFrom ?? []) {
    const name = from.configMapRef?.name;
    if (name === undefined) continue;
    const data = configMaps.get(name);
    if (!data) problems.push(`no ConfigMap ${name}`);
    envNames.push(...Object.keys(data ?? {}));
  }
  for (const env of unknownEnv(envNames)) problems.push(`serve reads no ${env}`);
  for (const e of container.env ?? [])
    if (e.valueFrom?.secretKeyRef && e.valueFrom.secretKeyRef.key !== e.name)
      problems.push(`${e.name} comes from the Secret's ${e.valueFrom.secretKeyRef.key}`);
  for (const need of ['WAYMARK_STORE', 'WAYMARK_NATS', 'WAYMARK_ADMIN_KEY', 'WAYMARK_SECRET_KEY'])
    if (!envNames.includes(need)) problems.push(`${need} is not set`);

  const service = byKind('Service')[0];
  const selector = (service?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  const labels = spec.template?.metadata?.labels ?? {};
  if (!selector || Object.entries(selector).some(([k, v]) => labels[k] !== v))
    problems.push('the Service does not select the engines');
  const ports = (service?.spec as { ports?: { targetPort?: string | number }[] } | undefined)
    ?.ports;
  if (!ports?.some((p) => p.targetPort === port?.name || p.targetPort === port?.containerPort))
    problems.push('the Service does not reach the container port');
  return problems;
}

describe('deploy/kubernetes', () => {
  const folder = 'deploy/kubernetes';
  const kustomization = parse(read(`${folder}/kustomization.yaml`)) as {
    kind?: string;
    resources?: string[];
    images?: { name: string; newName?: string; newTag?: string }[];
  };
  const manifests = (kustomization.resources ?? []).flatMap((file) =>
    parseAllDocuments(read(`${folder}/${file}`)).map((d) => {
      assert.deepEqual(d.errors, [], file);
      return d.toJS() as Manifest;
    }),
  );

  test('kustomization.yaml lists manifests that exist, and renames the waymark image', () => {
    assert.equal(kustomization.kind, 'Kustomization');
    for (const file of kustomization.resources ?? [])
      assert.ok(existsSync(join(root, folder, file)), file);
    assert.deepEqual(
      kustomization.images?.map((i) => i.name),
      ['waymark'],
    );
  });

  test('holds a namespace, the settings, two engines, their Service and disruption budget', () => {
    assert.deepEqual(manifests.map((m) => m.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'Namespace',
      'PodDisruptionBudget',
      'Service',
    ]);
    for (const m of manifests) assert.ok(m.metadata?.name, `${m.kind} has a name`);
  });

  test('the engines are probed on /healthz and given only flags and variables serve reads', () => {
    assert.deepEqual(kubernetesProblems(manifests), []);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  test(
    'kubectl kustomize renders it: every object in the namespace, the image renamed',
    { skip: kubectl ? false : 'kubectl is not installed' },
    () => {
      const rendered = execFileSync('kubectl', ['kustomize', join(root, folder)], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const objects = parseAllDocuments(rendered).map((d) => d.toJS() as Manifest);
      assert.deepEqual(objects.map((o) => o.kind).sort(), manifests.map((m) => m.kind).sort());
      for (const o of objects.filter((o) => o.kind !== 'Namespace'))
        assert.equal((o.metadata as { namespace?: string }).namespace, 'waymark', o.kind);
      const image = kustomization.images![0]!;
      const deployment = objects.find((o) => o.kind === 'Deployment')!;
      const pod = (deployment.spec as { template: { spec: { containers: Container[] } } }).template;
      assert.equal(pod.spec.containers[0]!.image, `${image.newName}:${image.newTag}`);
    },
  );

  test('the check finds a wrong probe path, an unknown variable and a Service that misses', () => {
    const broken = structuredClone(manifests);
    const deployment = broken.find((m) => m.kind === 'Deployment')!;
    const pod = (deployment.spec as { template: { spec: { containers: Container[] } } }).template;
    pod.spec.containers[0]!.livenessProbe = { httpGet: { path: '/health', port: 'http' } };
    broken.find((m) => m.kind === 'ConfigMap')!.data!['WAYMARK_NATS_URL'] = 'nats://nats:4222';
    (broken.find((m) => m.kind === 'Service')!.spec as { selector: object }).selector = {
      app: 'other',
    };
    assert.deepEqual(kubernetesProblems(broken), [
      'livenessProbe is not on /healthz',
      'serve reads no WAYMARK_NATS_URL',
      'the Service does not select the engines',
    ]);
  });
});
