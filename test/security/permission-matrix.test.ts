// The permission matrix, generated from /openapi.json: every operation declares what it needs
// (x-permission), and for each built-in role, and for keys used in a sandbox they were not given
// (refused everywhere but their own session and signing out), every operation answers as the policy says: 403 naming the permission when the role lacks it
// (on every spelling of the path), never 401 or 403 when it holds it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  isPermission,
  type Permission,
  type RouteRequirement,
} from '../../src/access/permissions.ts';
import { can, canEverywhere, type Principal } from '../../src/access/policy.ts';
import { apiKey, operatorPrincipal } from '../../src/api/auth.ts';
import {
  PROD_ONLY_KEY,
  ROLE_KEYS,
  apiWorld,
  type ApiWorld,
  type BuiltInRoleName,
} from '../support/server.ts';
import { rawRequest, variants, type RawAnswer } from './path-variants.ts';

interface Operation {
  readonly method: string;
  /** The OpenAPI path, `{param}` style. */
  readonly template: string;
  readonly permission: RouteRequirement;
  readonly sandboxParam?: string;
  readonly everywhere?: boolean;
  readonly anySandbox?: boolean;
}

let w: ApiWorld;
let port = 0;
let operations: Operation[] = [];

before(async () => {
  w = await apiWorld();
  port = Number(new URL(await w.listen()).port);
  const doc = JSON.parse((await rawRequest(port, 'GET', '/openapi.json')).body) as {
    paths: Record<string, Record<string, { 'x-permission'?: RouteRequirement }>>;
  };
  const scope = new Map(
    w.server.routeTable.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r]),
  );
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      const method = m.toUpperCase();
      const entry = scope.get(`${method} ${template}`);
      operations.push({
        method,
        template,
        permission: op['x-permission'] as RouteRequirement,
        ...(entry?.sandboxParam ? { sandboxParam: entry.sandboxParam } : {}),
        ...(entry?.everywhere ? { everywhere: true } : {}),
        ...(entry?.anySandbox ? { anySandbox: true } : {}),
      });
    }
  }
});
after(async () => {
  await w.close();
});

/** The path with plausible values: the sandbox parameter names `sandbox`. */
function fill(op: Operation, sandbox: string): string {
  return op.template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === op.sandboxParam ? sandbox : name === 'namespace' ? 'Email' : 'x',
  );
}

const ask = (op: Operation, path: string, headers: Record<string, string>): Promise<RawAnswer> =>
  rawRequest(
    port,
    op.method,
    path,
    headers,
    op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
  );

const errorOf = (a: RawAnswer): { code?: string; details?: { permission?: string } } => {
  try {
    return (
      (JSON.parse(a.body) as { error?: { code?: string; details?: { permission?: string } } })
        .error ?? {}
    );
  } catch {
    return {};
  }
};

/** A refusal that hands out nothing (the auth matrix's rule). */
const refused = (a: RawAnswer): boolean =>
  a.status >= 400 && a.status < 500 && !/"items"|"spec"|"journeys"/.test(a.body);

/** Whether the policy lets `p` call `op` in `sandbox`. */
function allowedBy(p: Principal, op: Operation, sandbox: string): boolean {
  if (op.permission === 'signed-in') return true;
  const perm = op.permission as Permission;
  return op.everywhere ? canEverywhere(p, perm) : can(p, sandbox, perm);
}

test('every operation of /openapi.json declares its permission, the same the server enforces', () => {
  assert.ok(
    operations.length >= 80,
    `the OpenAPI document lists the API (${operations.length} operations)`,
  );
  const undeclared = operations.filter(
    (o) =>
      !(
        o.permission === 'public' ||
        o.permission === 'signed-in' ||
        (typeof o.permission === 'string' && isPermission(o.permission))
      ),
  );
  assert.deepEqual(
    undeclared.map((o) => `${o.method} ${o.template}: ${String(o.permission)}`),
    [],
  );
  const table = new Map(
    w.server.routeTable.map((r) => [
      `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`,
      r.permission,
    ]),
  );
  for (const o of operations)
    assert.equal(
      table.get(`${o.method} ${o.template}`),
      o.permission,
      `${o.method} ${o.template} in the route table`,
    );
});

for (const role of Object.keys(ROLE_KEYS) as BuiltInRoleName[]) {
  test(`the ${role} role: every operation answers as the policy says`, async () => {
    const key = ROLE_KEYS[role];
    const principal = operatorPrincipal(apiKey(role, key, ['prod'], role));
    const headers = { authorization: `Bearer ${key}`, 'x-sandbox-name': 'prod' };
    const wrong: string[] = [];
    let denied = 0;
    for (const op of operations) {
      if (op.permission === 'public') continue;
      const path = fill(op, 'prod');
      const a = await ask(op, path, headers);
      if (allowedBy(principal, op, 'prod')) {
        if (a.status === 401 || a.status === 403)
          wrong.push(
            `${op.method} ${path} (${op.permission}) is allowed but answered ${a.status}: ${a.body.slice(0, 160)}`,
          );
        continue;
      }
      denied++;
      const e = errorOf(a);
      if (a.status !== 403 || e.code !== 'forbidden' || e.details?.permission !== op.permission)
        wrong.push(
          `${op.method} ${path} needs ${op.permission} but answered ${a.status}: ${a.body.slice(0, 160)}`,
        );
      // The viewer is asked on every spelling; the other roles on the encoded ones.
      const spellings = role === 'viewer' ? variants(path).slice(1) : variants(path).slice(1, 6);
      for (const spelled of spellings) {
        const v = await ask(op, spelled, headers);
        if (!refused(v))
          wrong.push(
            `${op.method} ${spelled} needs ${op.permission} but answered ${v.status}: ${v.body.slice(0, 160)}`,
          );
      }
    }
    if (role === 'admin')
      assert.ok(
        denied <= 2,
        `an admin of prod is refused only what needs every sandbox (${denied})`,
      );
    else assert.ok(denied > 0, `the ${role} role is refused something`);
    assert.deepEqual(wrong, []);
  });
}

test('keys used in a sandbox they were not given are refused on every operation, on every spelling', async () => {
  const wrong: string[] = [];
  for (const [name, key] of [
    ['admin of prod', PROD_ONLY_KEY],
    ['viewer of prod', ROLE_KEYS.viewer],
  ] as const) {
    const headers = { authorization: `Bearer ${key}`, 'x-sandbox-name': 'agency' };
    for (const op of operations) {
      if (op.permission === 'public') continue;
      const path = fill(op, 'agency');
      const a = await ask(op, path, headers);
      // Its own session and signing out answer the caller whatever sandbox it names.
      if (op.anySandbox) {
        if (a.status === 401 || a.status === 403)
          wrong.push(
            `${op.method} ${path} is about the caller, yet the ${name} key was refused: ${a.status}`,
          );
        continue;
      }
      if (a.status !== 403)
        wrong.push(
          `${op.method} ${path} with the ${name} key answered ${a.status}: ${a.body.slice(0, 160)}`,
        );
      for (const spelled of variants(path).slice(1, name === 'viewer of prod' ? undefined : 6)) {
        const v = await ask(op, spelled, headers);
        if (!refused(v))
          wrong.push(
            `${op.method} ${spelled} with the ${name} key answered ${v.status}: ${v.body.slice(0, 160)}`,
          );
      }
    }
  }
  assert.deepEqual(wrong, []);
});
