// Resource limits: the personalization engine works within a budget (output per render, every value
// it makes, list sizes, the work of its functions) and fails fast with an error naming the bound, its
// value and where in the template it was crossed; the public asset route serves only configured
// rendition sizes and keeps a bounded number of renditions per asset.
//
// Time bounds in this file are crash guards on a loaded machine, not benchmarks: without the limits the
// doubling template builds hundreds of megabytes (or runs the process out of memory); with them it stops
// after about two megabytes of work. The bound only tells these two apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import {
  compileMessage,
  defaultLimits,
  MAX_RENDER_CHARS,
  renderInline,
  type InlineResult,
  type RenderOutcome,
} from '../../src/content/index.ts';
import { MemoryLibrary, input } from '../content/helpers.ts';
import { apiWorld } from '../support/server.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { FsBlobStore } from '../../src/runtime/blobs.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { buildServer } from '../../src/api/server.ts';
import { apiKey } from '../../src/api/auth.ts';
import {
  defaultRenditionPolicy,
  renditionUrlFor,
} from '../../src/content/assets/rendition-policy.ts';

const KEY = 'resource-limits-admin-key-0123456789';

const CRASH_GUARD_MS = 2000;

/** `{% let s = "ab" %}` then `times` doublings, one per line, then the value. */
function doublingPql(
  times: number,
  step: (v: string) => string = (v) => `concat(${v}, ${v})`,
): string {
  let t = '{% let s = "ab" %}\n';
  for (let i = 0; i < times; i++) t += `{% let s = ${step('s')} %}\n`;
  return `${t}{{s}}`;
}

function limitError(r: InlineResult): {
  name: string;
  max: number;
  line?: number;
  message: string;
} {
  assert.ok(!r.ok, `the render should fail: ${JSON.stringify(r).slice(0, 200)}`);
  assert.equal(r.error.code, 'limit_exceeded', JSON.stringify(r.error).slice(0, 300));
  assert.ok(r.error.limit !== undefined, 'the error names the limit');
  return {
    name: r.error.limit.name,
    max: r.error.limit.max,
    ...(r.error.limit.where?.line === undefined ? {} : { line: r.error.limit.where.line }),
    message: r.error.message,
  };
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('a template that doubles a string 32 times', () => {
  test('{% %} form with concat(): fails on the value bound at the line that crosses it, fast', () => {
    const { value, ms } = timed(() => renderInline(doublingPql(32), {}, 0));
    const e = limitError(value);
    assert.equal(e.name, 'maxValueChars');
    assert.equal(e.max, 1024 * 1024);
    // "ab" doubled 19 times is 1 MiB; the 20th doubling (line 21) would be 2 MiB.
    assert.equal(e.line, 21);
    assert.match(
      e.message,
      /concat\(\) result would be 2097152 characters, over the limit of 1048576 \(maxValueChars\) \(in template, line 21\)/,
    );
    assert.ok(ms < CRASH_GUARD_MS, `stopped in ${Math.round(ms)} ms`);
  });

  test('{% %} form with the + operator: the same bound', () => {
    const { value, ms } = timed(() =>
      renderInline(
        doublingPql(32, (v) => `${v} + ${v}`),
        {},
        0,
      ),
    );
    const e = limitError(value);
    assert.equal(e.name, 'maxValueChars');
    assert.match(e.message, /\+ operator's result would be 2097152 characters/);
    assert.ok(ms < CRASH_GUARD_MS, `stopped in ${Math.round(ms)} ms`);
  });

  test('Handlebars form (the let helper and subexpressions): the same bound', () => {
    let t = '{{__let "s" "ab"}}\n';
    for (let i = 0; i < 32; i++) t += '{{__let "s" (concat @root.s @root.s)}}\n';
    const { value, ms } = timed(() => renderInline(t, {}, 0));
    const e = limitError(value);
    assert.equal(e.name, 'maxValueChars');
    assert.equal(e.line, 21);
    assert.ok(ms < CRASH_GUARD_MS, `stopped in ${Math.round(ms)} ms`);
  });

  test('doubling a list the same way is bounded by the list size', () => {
    let t = '{% let s = split("a,b", ",") %}\n';
    for (let i = 0; i < 32; i++)
      t += '{% let s = split(join(s, ",") + "," + join(s, ","), ",") %}\n';
    const { value, ms } = timed(() =>
      renderInline(t, {}, 0, { ...defaultLimits, maxValueChars: 64 * 1024 * 1024 }),
    );
    const e = limitError(value);
    assert.equal(e.name, 'maxListItems');
    assert.equal(e.max, defaultLimits.maxListItems);
    assert.ok(ms < CRASH_GUARD_MS, `stopped in ${Math.round(ms)} ms`);
  });
});

describe('every function that can make a large value is bounded', () => {
  const limits = { ...defaultLimits, maxValueChars: 1000, maxListItems: 100 };
  const data = {
    profile: {
      s: 'x'.repeat(600),
      short: 'abc',
      list: Array.from({ length: 80 }, () => 'y'.repeat(20)),
    },
  };
  const cases: Array<[string, string, 'maxValueChars' | 'maxListItems', RegExp]> = [
    [
      'concat of many arguments',
      '{%= concat(profile.s, profile.s) %}',
      'maxValueChars',
      /concat\(\) result would be 1200 characters/,
    ],
    [
      'the + operator',
      '{%= profile.s + profile.s %}',
      'maxValueChars',
      /\+ operator's result would be 1200 characters/,
    ],
    [
      'join with a long separator',
      '{%= join(profile.list, profile.s) %}',
      'maxValueChars',
      /join\(\) result would be/,
    ],
    [
      'replace of every character (empty needle)',
      '{%= replace(profile.short, "", profile.s) %}',
      'maxValueChars',
      /replace\(\) result would be 1203 characters/,
    ],
    [
      'replace with a longer replacement',
      '{%= replace(profile.s, "x", "xx") %}',
      'maxValueChars',
      /replace\(\) result would be/,
    ],
    [
      'replaceAll with a pattern matching everywhere',
      '{%= replaceAll(profile.s, "", "yy") %}',
      'maxValueChars',
      /replaceAll\(\) result would be more than 1000/,
    ],
    [
      'split into characters',
      '{%= split(profile.s, "") %}',
      'maxListItems',
      /split\(\) result would be 600 items/,
    ],
    [
      'split on a separator',
      '{%= count(split(profile.s, "x")) %}',
      'maxListItems',
      /split\(\) result would be/,
    ],
    [
      'encode64 (post-checked result)',
      '{%= encode64(profile.s + profile.short) %}',
      'maxValueChars',
      /encode64\(\) result would be 804 characters|result would be/,
    ],
    [
      'a let value',
      '{% let big = profile.s + profile.s %}',
      'maxValueChars',
      /result would be 1200 characters/,
    ],
  ];
  for (const [name, template, limit, message] of cases) {
    test(`${name}: ${template}`, () => {
      const r = renderInline(
        template,
        data,
        0,
        name.startsWith('encode64') ? { ...limits, maxValueChars: 800 } : limits,
      );
      const e = limitError(r);
      assert.equal(e.name, limit);
      assert.match(e.message, message);
      assert.equal(e.line, 1);
    });
  }

  test('like() with many wildcards runs in linear time (RE2), not backtracking', () => {
    const { value, ms } = timed(() =>
      renderInline(
        '{%= like(profile.s, "%a%a%a%a%a%a%b") %} {%= like("Hello.World", "H_llo.%") %}',
        { profile: { s: 'a'.repeat(20_000) } },
        0,
      ),
    );
    assert.deepEqual(value, { ok: true, output: 'false true', warnings: [] });
    assert.ok(ms < CRASH_GUARD_MS, `answered in ${Math.round(ms)} ms`);
  });

  test('values within the bounds render as before', () => {
    const r = renderInline(
      '{%= concat(profile.short, "-", replace(profile.short, "b", "BB")) %} {%= join(split("a,b,c", ","), "+") %}',
      data,
      0,
      limits,
    );
    assert.deepEqual(r, { ok: true, output: 'abc-aBBc a+b+c', warnings: [] });
  });

  test('the work of function calls is bounded: a loop passing a large value to a function many times stops', () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const { value, ms } = timed(() =>
      renderInline(
        '{{#each profile.items}}{%= length(upperCase(@root.profile.s)) %}{{/each}}',
        { profile: { items, s: 'x'.repeat(100_000) } },
        0,
      ),
    );
    const e = limitError(value);
    assert.equal(e.name, 'maxWork');
    assert.ok(ms < CRASH_GUARD_MS * 5, `stopped in ${Math.round(ms)} ms`);
  });
});

describe('output is metered as it is written', () => {
  test('a value written many times stops at the render bound, naming the line', () => {
    const template = `{% let s = "${'x'.repeat(1000)}" %}\n{% let s = concat(s,s,s,s,s,s,s,s,s,s) %}{% let s = concat(s,s,s,s,s,s,s,s,s,s) %}\n${'{{{s}}}'.repeat(200)}`;
    const { value, ms } = timed(() => renderInline(template, {}, 0));
    const e = limitError(value);
    assert.equal(e.name, 'maxRenderChars');
    assert.equal(e.max, 1024 * 1024);
    assert.equal(e.line, 3);
    assert.ok(ms < CRASH_GUARD_MS, `stopped in ${Math.round(ms)} ms`);
  });

  test('blocks are counted once: an output of exactly the bound passes, one character more fails', () => {
    const template =
      'a{{#each profile.items as |i|}}{{#if i}}<{{#with @root.profile}}{{{s}}}{{/with}}>{{else}}-{{/if}}{{/each}}{{#unless profile.no}}z{{/unless}}';
    const data = { profile: { items: [1, 0, 2, 3], s: 'hello' } };
    const ok = renderInline(template, data, 0);
    assert.ok(ok.ok);
    const size = ok.output.length;
    assert.equal(ok.output, 'a<hello>-<hello><hello>z');
    assert.deepEqual(
      renderInline(template, data, 0, { ...defaultLimits, maxRenderChars: size }),
      ok,
    );
    assert.equal(
      limitError(renderInline(template, data, 0, { ...defaultLimits, maxRenderChars: size - 1 }))
        .name,
      'maxRenderChars',
    );
  });

  test('all fields of a message share the render bound; a message render names the field', async () => {
    const r = await compileMessage(
      { channel: 'email', subject: '{{profile.s}}', html: '<p>{{profile.s}}</p>' },
      new MemoryLibrary(),
      { limits: { maxRenderChars: 2500 } },
    );
    assert.ok(r.ok);
    if (!r.ok) return;
    const small = r.message.render(input({ s: 'y'.repeat(500) }));
    assert.equal(small.ok, true);
    const big: RenderOutcome = r.message.render(input({ s: 'y'.repeat(1000) }));
    assert.ok(!big.ok && big.reason === 'limit_exceeded', JSON.stringify(big).slice(0, 300));
    if (big.ok) return;
    assert.equal(big.limit?.name, 'maxRenderChars');
    assert.equal(big.limit?.max, 2500);
    assert.match(String(big.limit?.where?.field), /html/);
  });

  test('fields without tags count too', async () => {
    const r = await compileMessage(
      { channel: 'email', subject: 'z'.repeat(2000), html: '<p>{{profile.s}}</p>' },
      new MemoryLibrary(),
      { limits: { maxRenderChars: 1024 } },
    );
    assert.ok(r.ok);
    if (!r.ok) return;
    const o = r.message.render(input({ s: 'y' }));
    assert.ok(
      !o.ok && o.limit?.name === 'maxRenderChars' && o.limit.where?.field === 'subject',
      JSON.stringify(o).slice(0, 300),
    );
  });

  test("a render's own bound (a channel configuration) replaces the default, up to 16 MiB", async () => {
    const r = await compileMessage({ channel: 'sms', text: '{{profile.s}}' }, new MemoryLibrary());
    assert.ok(r.ok);
    if (!r.ok) return;
    const at = (size: number, maxRenderChars: number): RenderOutcome =>
      r.message.render({ ...input({ s: 'y'.repeat(size) }), limits: { maxRenderChars } });
    const lower = at(2000, 1024);
    assert.ok(
      !lower.ok && lower.limit?.name === 'maxRenderChars' && lower.limit.max === 1024,
      JSON.stringify(lower).slice(0, 300),
    );
    assert.equal(at(2000, 4096).ok, true);
    const byDefault = r.message.render(input({ s: 'y'.repeat(3 * 1024 * 1024) }));
    assert.ok(
      !byDefault.ok && byDefault.limit?.max === defaultLimits.maxRenderChars,
      'over the 1 MiB default',
    );
    assert.equal(
      at(3 * 1024 * 1024, 4 * 1024 * 1024).ok,
      true,
      'a 4 MiB configuration lets a 3 MiB message through',
    );
    const ceiling = at(17 * 1024 * 1024, 64 * 1024 * 1024);
    assert.ok(!ceiling.ok && ceiling.limit?.max === MAX_RENDER_CHARS, 'never past 16 MiB');
  });
});

describe('through the server', () => {
  test('the render API answers the named bound for the doubling template, in both request forms', async () => {
    const w = await apiWorld();
    try {
      const t0 = performance.now();
      const content = await w.request('POST', '/v1/render', {
        content: { channel: 'sms', text: doublingPql(32) },
      });
      assert.equal(content.status, 200, JSON.stringify(content.body));
      assert.equal(content.body.ok, false);
      assert.equal(content.body.reason, 'limit_exceeded');
      assert.deepEqual(content.body.limit, {
        name: 'maxValueChars',
        max: 1024 * 1024,
        where: { field: 'text', line: 21 },
      });
      const inline = await w.request('POST', '/v1/render', { template: doublingPql(32) });
      assert.equal(inline.status, 422);
      assert.equal(inline.body.error.code, 'limit_exceeded');
      assert.equal(inline.body.error.limit.name, 'maxValueChars');
      assert.equal(inline.body.error.line, 21);
      assert.ok(performance.now() - t0 < CRASH_GUARD_MS * 2, 'both answered quickly');
    } finally {
      await w.close();
    }
  });

  test('a channel configuration sets the render bound: the render API applies it when named, and a send records a failed message', async () => {
    const w = await apiWorld();
    try {
      const stored = await w.request('GET', '/v1/channel-configurations/EmailMarketing');
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      const put = await w.request('PUT', '/v1/channel-configurations/EmailMarketing', {
        ...stored.body.spec,
        renderLimits: { maxRenderChars: 1024 },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const tooLow = await w.request('PUT', '/v1/channel-configurations/EmailMarketing', {
        ...stored.body.spec,
        renderLimits: { maxRenderChars: 10 },
      });
      assert.equal(tooLow.status, 400, 'a bound below 1024 is refused');
      assert.match(JSON.stringify(tooLow.body), /renderLimits\.maxRenderChars/);

      const text = `{{profile.s}}`;
      const profile = { s: 'y'.repeat(2000) };
      const plain = await w.request('POST', '/v1/render', {
        content: { channel: 'sms', text },
        profile,
      });
      assert.equal(plain.body.ok, true, 'within the default bound');
      const bounded = await w.request('POST', '/v1/render', {
        content: { channel: 'sms', text },
        profile,
        configuration: 'EmailMarketing',
      });
      assert.equal(bounded.body.ok, false);
      assert.equal(bounded.body.limit.name, 'maxRenderChars');
      assert.equal(bounded.body.limit.max, 1024);
      const unknown = await w.request('POST', '/v1/render', {
        content: { channel: 'sms', text },
        profile,
        configuration: 'Nope',
      });
      assert.equal(unknown.status, 404);

      // The abandoned-cart email (sent through EmailMarketing a minute after a checkout) is far larger than 1024 characters.
      const email = 'jean.dupont@luma.example';
      await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
      await w.advance(61_000);
      let messages: Array<{
        status: string;
        reason: string | null;
        recipient: string | null;
        payload: Record<string, unknown>;
      }> = [];
      for (let i = 0; i < 100 && messages.length === 0; i++) {
        messages = (await w.request('GET', `/v1/messages?profile=Email:${email}`)).body.items;
        if (messages.length === 0) await w.advance(1000);
      }
      const failed = messages.find((m) => m.status === 'failed');
      assert.ok(failed, `a failed message is recorded: ${JSON.stringify(messages).slice(0, 500)}`);
      assert.match(
        String(failed.reason),
        /^limit_exceeded: the render writes more than 1024 characters \(maxRenderChars\)/,
      );
      assert.equal(failed.recipient, email);
      assert.deepEqual(
        (failed.payload['limit'] as { name: string; max: number }).name,
        'maxRenderChars',
      );
      assert.equal(w.inbox.list({ to: email }).length, 0, 'nothing was sent');
      assert.equal((await w.request('GET', '/v1/status')).status, 200, 'the server keeps running');
    } finally {
      await w.close();
    }
  });
});

describe('public asset renditions', () => {
  /** A server on a loopback port with its blobs in a temporary folder, keeping at most `maxPerAsset` renditions per asset. */
  async function assetServer(
    maxPerAsset: number,
  ): Promise<{ url: string; dir: string; close: () => Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'waymark-renditions-'));
    const app = createWaymark({
      store: new SqliteStore(':memory:'),
      blobs: new FsBlobStore(dir),
      publicUrl: 'http://waymark.test',
      renditions: { maxPerAsset },
    });
    const server = await buildServer({ app, keys: [apiKey('admin', KEY)] });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const png = await sharp({
      create: { width: 2400, height: 1200, channels: 3, background: '#3366ff' },
    })
      .png()
      .toBuffer();
    const up = await fetch(`${url}/v1/assets/banner/content`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'image/png' },
      body: png,
    });
    assert.equal(up.status, 200, await up.text());
    return {
      url,
      dir,
      async close() {
        await server.close();
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  /** Every file under `dir` (relative paths). */
  async function files(dir: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else out.push(relative(dir, join(d, e.name)));
      }
    };
    await walk(dir);
    return out;
  }

  test('a size outside the configured set is refused with a 400 naming the set; sizes in it are served', async () => {
    const s = await assetServer(4);
    try {
      const odd = await fetch(`${s.url}/assets/prod/banner?w=333`);
      assert.equal(odd.status, 400);
      const body = (await odd.json()) as {
        error: {
          message: string;
          issues: Array<{ path: string; expected: string; received: string }>;
        };
      };
      assert.match(
        body.error.message,
        /width must be one of 200, 320, 480, 600, 800, 1200, 1600, 2000 \(or left out for the original size\)/,
      );
      assert.deepEqual(
        body.error.issues.map((i) => [i.path, i.received]),
        [['query.w', '333']],
      );
      assert.equal((await fetch(`${s.url}/assets/prod/banner?h=1000`)).status, 400);
      assert.equal((await fetch(`${s.url}/assets/prod/banner?w=600&q=42`)).status, 400);

      const ok = await fetch(`${s.url}/assets/prod/banner?v=1&w=600&format=webp`);
      assert.equal(ok.status, 200);
      assert.equal((await sharp(Buffer.from(await ok.arrayBuffer())).metadata()).width, 600);
      const original = await fetch(`${s.url}/assets/prod/banner?v=1`);
      assert.equal((await sharp(Buffer.from(await original.arrayBuffer())).metadata()).width, 2400);
      assert.ok(
        !(await files(s.dir)).some((f) => f.includes('w333')),
        'nothing was stored for the refused size',
      );
    } finally {
      await s.close();
    }
  });

  test('renditions kept per asset are capped: every allowed combination requested, the oldest are removed from disk', async () => {
    const s = await assetServer(3);
    try {
      const requests: string[] = [];
      for (const w of [200, 320, 480, 600])
        for (const format of ['png', 'webp', 'jpeg']) requests.push(`w=${w}&format=${format}`);
      for (const q of requests) {
        const r = await fetch(`${s.url}/assets/prod/banner?${q}`);
        assert.equal(r.status, 200, q);
        await r.arrayBuffer();
      }
      const renditions = (await files(s.dir)).filter((f) => f.includes('renditions/'));
      assert.equal(renditions.length, 3, `kept: ${renditions.join(', ')}`);
      // The three newest remain (600 in each format); a removed one is made again on request.
      assert.deepEqual(renditions.map((f) => f.replace(/^.*\//, '')).sort(), [
        'w600-h0-inside-q0.jpeg',
        'w600-h0-inside-q0.png',
        'w600-h0-inside-q0.webp',
      ]);
      const again = await fetch(`${s.url}/assets/prod/banner?w=200&format=png`);
      assert.equal((await sharp(Buffer.from(await again.arrayBuffer())).metadata()).width, 200);
      assert.equal((await files(s.dir)).filter((f) => f.includes('renditions/')).length, 3);
    } finally {
      await s.close();
    }
  });

  test('content asking for any rendition size gets a URL in the allowed set, which the route serves', async () => {
    assert.equal(
      renditionUrlFor(
        'http://w.test/assets/prod/a?v=2',
        { width: 333, format: 'webp' },
        defaultRenditionPolicy,
      ),
      'http://w.test/assets/prod/a?v=2&w=480&format=webp',
    );
    assert.equal(
      renditionUrlFor(
        'http://w.test/assets/prod/a?v=2',
        { width: 5000, height: 10 },
        defaultRenditionPolicy,
      ),
      'http://w.test/assets/prod/a?v=2&w=2000&h=200',
    );
    const w = await apiWorld();
    try {
      const document = {
        body: [
          {
            kind: 'structure',
            id: 's',
            columns: [
              {
                id: 'c',
                blocks: [
                  {
                    kind: 'image',
                    id: 'logo',
                    assetId: 'luma-logo',
                    rendition: { width: 333, format: 'webp' },
                  },
                ],
              },
            ],
          },
        ],
      };
      const r = await w.request('POST', '/v1/render', {
        content: { channel: 'email', subject: 's', document },
      });
      assert.equal(r.body.ok, true, JSON.stringify(r.body).slice(0, 300));
      const src = /<img[^>]+src="([^"]+)"/.exec(r.body.html as string)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(
        src?.includes('/assets/prod/luma-logo?v=1&w=480&format=webp'),
        `the image asks for an allowed size: ${src}`,
      );
      const served = await w.server.inject({
        method: 'GET',
        url: String(src).slice(String(src).indexOf('/assets/')),
      });
      assert.equal(served.statusCode, 200);
    } finally {
      await w.close();
    }
  });
});
