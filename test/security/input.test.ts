// Hostile or careless input, through a real server: a body holding "__proto__" (or
// "constructor.prototype") at any depth is refused with the key and its path, whichever parser read
// it (JSON, YAML packages, NATS messages, the CLI's event files); identity values and numbers an
// event type does not bound itself are bounded (refused with the field, what was expected and what
// came); and an event id sent again with a different event is a conflict, not a duplicate, on both
// stores and through NATS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeMessage } from '../../src/bus/decode.ts';
import { startNatsIngest } from '../../src/bus/nats-ingest.ts';
import { CliError } from '../../src/cli/client.ts';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { WaymarkError } from '../../src/errors.ts';
import { boundIntegers } from '../../src/runtime/payload-bounds.ts';
import { parseTimeline } from '../../src/runtime/simulate.ts';
import { eventually, NATS_URL, testBus } from '../bus/nats-support.ts';
import { cliRunner } from '../support/cli.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { ADMIN_KEY, apiWorld, type ApiWorld } from '../support/server.ts';

type Answer = {
  status: number;
  body: {
    error?: {
      code: string;
      message: string;
      issues?: Array<{ path: string; message: string; expected?: string; received?: string }>;
    };
    results?: Array<Record<string, unknown>>;
    [k: string]: unknown;
  };
};

let w: ApiWorld;
let base: string;
before(async () => {
  w = await apiWorld();
  base = await w.listen();
});
after(async () => {
  await w.close();
});

/** A request over the socket, the body sent as the exact text given. */
async function send(
  method: string,
  path: string,
  text: string,
  contentType = 'application/json',
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': contentType },
    body: text,
  });
  await w.app.engine.settle();
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const checkoutText = (extra: string): string =>
  `{"id": "proto-1", "type": "LumaCheckoutEvent_Email", "payload": {"_aeppartner1": {"identification": {"core": {"email": "ana@luma.example"}}}, "productListItems": [{"name": "W", "SKU": "24-WG02", "quantity": 1, "priceTotal": 92}]${extra}}}`;

describe('a key that could change prototypes is refused with its path', () => {
  const refusals: ReadonlyArray<{
    readonly label: string;
    readonly method: string;
    readonly path: string;
    readonly text: string;
    readonly at: string;
    readonly contentType?: string;
  }> = [
    {
      label: 'an event, deep in its payload',
      method: 'POST',
      path: '/v1/events',
      text: checkoutText(', "profile": {"__proto__": {"admin": true}}'),
      at: 'body.payload.profile.__proto__',
    },
    {
      label: 'an event, at the top',
      method: 'POST',
      path: '/v1/events',
      text: '{"__proto__": {"admin": true}, "type": "LumaCheckoutEvent_Email"}',
      at: 'body.__proto__',
    },
    {
      label: 'an array of events',
      method: 'POST',
      path: '/v1/events',
      text: `[${checkoutText('')}, {"id": "x", "type": "T", "payload": {"a": [{"__proto__": 1}]}}]`,
      at: 'body[1].payload.a[0].__proto__',
    },
    {
      label: 'a key written with escapes',
      method: 'POST',
      path: '/v1/events',
      text: checkoutText(', "x": {"\\u005f_proto\\u005f_": 1}'),
      at: 'body.payload.x.__proto__',
    },
    {
      label: 'constructor holding prototype',
      method: 'POST',
      path: '/v1/events',
      text: checkoutText(', "x": {"constructor": {"prototype": {"admin": true}}}'),
      at: 'body.payload.x.constructor.prototype',
    },
    {
      label: 'a profile update',
      method: 'PUT',
      path: '/v1/profiles/Email/ana@luma.example',
      text: '{"attributes": {"person": {"__proto__": {"admin": true}}}}',
      at: 'body.attributes.person.__proto__',
    },
    {
      label: 'a JSON package',
      method: 'POST',
      path: '/v1/packages/apply',
      text: '{"name": "p", "objects": [{"kind": "fragment", "__proto__": {}}]}',
      at: 'body.objects[0].__proto__',
    },
    {
      label: 'a YAML package',
      method: 'POST',
      path: '/v1/packages/apply',
      text: 'name: p\nobjects:\n  - kind: fragment\n    spec:\n      __proto__:\n        admin: true\n',
      at: 'body.objects[0].spec.__proto__',
      contentType: 'text/yaml',
    },
    {
      label: 'a YAML package checked only',
      method: 'POST',
      path: '/v1/packages/validate',
      text: '__proto__: {}\nname: p\n',
      at: 'body.__proto__',
      contentType: 'text/yaml',
    },
  ];
  for (const r of refusals) {
    test(`${r.label}: 400 naming ${r.at}, nothing stored, nothing polluted`, async () => {
      const deadBefore = (await w.app.reads.listDeadLetters('prod', { limit: 1000 })).length;
      const a = await send(r.method, r.path, r.text, r.contentType);
      assert.equal(a.status, 400, JSON.stringify(a.body));
      assert.equal(a.body.error?.code, 'bad_request');
      assert.ok(
        a.body.error?.message.startsWith(`${r.at}: this key is not allowed`),
        a.body.error?.message,
      );
      assert.doesNotMatch(a.body.error?.message ?? '', /not valid JSON/);
      assert.deepEqual(
        a.body.error?.issues?.map((i) => [i.path, i.message, i.received]),
        [
          [
            r.at,
            'this key is not allowed',
            r.at.endsWith('constructor.prototype') ? 'constructor.prototype' : '__proto__',
          ],
        ],
      );
      assert.equal(
        (await w.app.reads.listDeadLetters('prod', { limit: 1000 })).length,
        deadBefore,
        'refused before it is an event: no dead letter',
      );
      assert.equal(({} as Record<string, unknown>)['admin'], undefined);
    });
  }

  test('a profile import in JSON lines refuses the line that holds __proto__, naming it; the other lines are imported', async () => {
    const lines = [
      '{"namespace": "Email", "id": "ivy@luma.example", "attributes": {"loyalty": {"__proto__": {"admin": true}}}}',
      '{"namespace": "Email", "id": "jon@luma.example", "attributes": {"loyalty": {"tier": "blue"}}}',
    ];
    const a = await send('POST', '/v1/profiles/import', lines.join('\n'), 'application/x-ndjson');
    assert.deepEqual([a.body['imported'], a.body['failed']], [1, 1], JSON.stringify(a.body));
    assert.deepEqual(a.body['errors'], [
      {
        line: 1,
        issues: [
          {
            path: 'record.attributes.loyalty.__proto__',
            message: 'this key is not allowed',
            received: '__proto__',
          },
        ],
      },
    ]);
    assert.equal(({} as Record<string, unknown>)['admin'], undefined);
  });

  test('a simulation timeline (a file of the CLI) holding __proto__ is refused with its path', () => {
    assert.throws(
      () =>
        parseTimeline(
          '{"at": "PT0S", "event": {"type": "T", "payload": {}}}\n{"at": "PT1M", "event": {"type": "T", "payload": {"__proto__": {"admin": true}}}}',
        ),
      (e: unknown) =>
        e instanceof WaymarkError &&
        e.message.startsWith('timeline[1].event.payload.__proto__: this key is not allowed'),
    );
  });

  test('"constructor" and "prototype" as plain fields, and "__proto__" as a value, are accepted', async () => {
    const a = await send(
      'POST',
      '/v1/events',
      checkoutText(
        ', "constructor": "Luma Inc.", "prototype": {"name": "v2"}, "note": "__proto__"',
      ).replace('proto-1', 'proto-ok'),
    );
    assert.equal(a.status, 202, JSON.stringify(a.body));
  });

  test('broken JSON is still answered as broken JSON', async () => {
    const a = await send('POST', '/v1/events', '{"id": ');
    assert.equal(a.status, 400);
    assert.match(a.body.error?.message ?? '', /^the request body is not valid JSON/);
  });

  test('a NATS message holding __proto__ is dead-lettered with the key named in the log reason', () => {
    const d = decodeMessage(
      {
        subject: 'waymark.events.prod',
        data: new TextEncoder().encode(checkoutText(', "a": {"__proto__": {"admin": true}}')),
        msgId: undefined,
      },
      'waymark.events',
      'nats-S-1-1',
    );
    assert.ok(d.ok);
    assert.equal(
      d.problem,
      'body.payload.a.__proto__: this key is not allowed ("__proto__" could change object prototypes; rename the field)',
    );
    assert.equal(typeof d.events[0], 'string', 'passed on as text, which the engine dead-letters');
  });

  test('waymark events send refuses the line that holds __proto__, naming it, before sending anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-input-'));
    try {
      const run = cliRunner(base, (program) => registerClientCommands(program));
      const file = join(dir, 'events.jsonl');
      writeFileSync(
        file,
        [
          checkoutText('').replace('proto-1', 'cli-proto-1'),
          checkoutText(', "x": {"__proto__": {"admin": true}}').replace('proto-1', 'cli-proto-2'),
        ].join('\n'),
      );
      await assert.rejects(
        run('events', 'send', file),
        (e: unknown) =>
          e instanceof CliError &&
          e.message.startsWith('line 2: event.payload.x.__proto__: this key is not allowed'),
      );
      assert.equal(
        await w.app.reads.hasEvent('prod', 'cli-proto-1'),
        false,
        'nothing of the file was sent',
      );
      const yaml = join(dir, 'package.yaml');
      writeFileSync(yaml, 'name: p\nobjects:\n  - kind: fragment\n    __proto__: {}\n');
      await assert.rejects(
        run('apply', yaml),
        (e: unknown) =>
          e instanceof CliError &&
          e.message.includes('body.objects[0].__proto__: this key is not allowed'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('identities and numbers are bounded when the event type does not bound them', () => {
  const checkout = (
    id: string,
    over: {
      email?: string;
      quantity?: number | string;
      priceTotal?: number | string;
      extra?: string;
    } = {},
  ): string =>
    `{"id": "${id}", "type": "LumaCheckoutEvent_Email", "payload": {"_aeppartner1": {"identification": {"core": {"email": "${over.email ?? 'ben@luma.example'}"}}}, "productListItems": [{"name": "W", "SKU": "24-WG02", "quantity": ${over.quantity ?? 1}, "priceTotal": ${over.priceTotal ?? 92}}]${over.extra ?? ''}}}`;
  const issues = (a: Answer): Array<[string, string | undefined, string | undefined]> =>
    (a.body.error?.issues ?? []).map((i) => [i.path, i.expected, i.received]);

  test('an identity value of 256 characters is accepted, 257 is refused with the field named', async () => {
    const local = (n: number): string => `${'a'.repeat(n - '@luma.example'.length)}@luma.example`;
    assert.equal(
      (await send('POST', '/v1/events', checkout('long-ok', { email: local(256) }))).status,
      202,
    );
    const a = await send('POST', '/v1/events', checkout('long-no', { email: local(257) }));
    assert.equal(a.status, 422);
    assert.equal(a.body.error?.message, 'an identity value is longer than 256 characters');
    assert.deepEqual(issues(a), [
      [
        'events[0].payload._aeppartner1.identification.core.email',
        'at most 256 characters',
        '257 characters',
      ],
    ]);
  });

  test('an identity in the identity map, and one in the profile API, are bounded the same way', async () => {
    const a = await send(
      'POST',
      '/v1/events',
      checkout('long-map', {
        extra: `, "identityMap": {"ECID": [{"id": "e-1"}, {"id": "${'e'.repeat(300)}"}]}`,
      }),
    );
    assert.equal(a.status, 422);
    assert.deepEqual(issues(a), [
      ['events[0].payload.identityMap.ECID[1].id', 'at most 256 characters', '300 characters'],
    ]);
    const p = await send('PUT', `/v1/profiles/CRMID/${'c'.repeat(257)}`, '{"attributes": {}}');
    assert.equal(p.status, 400);
    assert.deepEqual(issues(p), [['id', 'at most 256 characters', '257 characters']]);
    const linked = await send(
      'PUT',
      '/v1/profiles/CRMID/c-1',
      JSON.stringify({ identities: [{ namespace: 'ECID', id: 'e'.repeat(257) }] }),
    );
    assert.equal(linked.status, 400, JSON.stringify(linked.body));
    assert.match(JSON.stringify(linked.body.error?.issues), /identities\.0\.id/);
  });

  test('an integer beyond 2^53 where the schema says integer is refused; 2^53 - 1 and large non-integer numbers are not', async () => {
    assert.equal(
      (await send('POST', '/v1/events', checkout('int-ok', { quantity: Number.MAX_SAFE_INTEGER })))
        .status,
      202,
    );
    const a = await send(
      'POST',
      '/v1/events',
      checkout('int-big', { quantity: '9007199254740993' }),
    );
    assert.equal(a.status, 422);
    assert.deepEqual(issues(a), [
      ['events[0].payload.productListItems.0.quantity', '<= 9007199254740991', '9007199254740992'],
    ]);
    const b = await send('POST', '/v1/events', checkout('int-low', { quantity: '-1e17' }));
    assert.deepEqual(
      issues(b),
      [['events[0].payload.productListItems.0.quantity', '>= 1', '-100000000000000000']],
      'the schema bounds it below itself: its bound stays',
    );
    assert.equal(
      (await send('POST', '/v1/events', checkout('float-big', { priceTotal: '1e20' }))).status,
      202,
      'a "number" field is not an integer field',
    );
  });

  test('a number that is not finite (1e400 reads as Infinity) is refused anywhere in the payload', async () => {
    const a = await send(
      'POST',
      '/v1/events',
      checkout('inf-1', { priceTotal: '1e400', extra: ', "free": {"x": [-1e999]}' }),
    );
    assert.equal(a.status, 422);
    assert.equal(
      a.body.error?.message,
      'the payload of LumaCheckoutEvent_Email holds numbers out of range',
    );
    assert.deepEqual(issues(a).sort(), [
      ['events[0].payload.free.x[0]', 'a finite number', '-Infinity'],
      ['events[0].payload.productListItems[0].priceTotal', 'a finite number', 'Infinity'],
    ]);
  });

  test('a schema that bounds its integers keeps its own bounds', () => {
    const safe = { maximum: Number.MAX_SAFE_INTEGER, minimum: Number.MIN_SAFE_INTEGER };
    assert.deepEqual(
      boundIntegers({
        type: 'object',
        properties: {
          n: { type: 'integer', maximum: 10 },
          m: { type: ['integer', 'null'] },
          k: { const: { type: 'integer' } },
          default: { type: 'integer' },
        },
      }),
      {
        type: 'object',
        properties: {
          n: { type: 'integer', maximum: 10, minimum: Number.MIN_SAFE_INTEGER },
          m: { type: ['integer', 'null'], ...safe },
          k: { const: { type: 'integer' } },
          default: { type: 'integer', ...safe },
        },
      },
      'its own bounds stay; data (const) is left alone; a property named "default" is a schema',
    );
  });
});

for (const store of ['sqlite', 'postgres'] as const) {
  test(`the same event id with a different event is a conflict, an identical resend a duplicate (${store})`, async () => {
    const s = await apiWorld({ store });
    try {
      const post = async (body: unknown): Promise<Answer> => {
        const r = await s.request('POST', '/v1/events', body);
        return { status: r.status, body: r.body as Answer['body'] };
      };
      const first = lumaEvent('LumaCheckoutEvent_Email', 'cara@luma.example', cart, 'same-id');
      assert.equal((await post(first)).status, 202);
      const reordered = {
        payload: Object.fromEntries(
          Object.entries(first['payload'] as Record<string, unknown>).reverse(),
        ),
        type: first['type'],
        id: first['id'],
      };
      const again = await post(reordered);
      assert.deepEqual(
        [again.status, again.body.results?.map((r) => r['status'])],
        [202, ['duplicate']],
        'the same event, keys in another order',
      );

      const other = lumaEvent(
        'LumaCheckoutEvent_Email',
        'cara@luma.example',
        [{ ...cart[0]!, quantity: 3 }],
        'same-id',
      );
      const conflict = await post(other);
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.error?.code, 'event_conflict');
      assert.match(
        conflict.body.error?.message ?? '',
        /^the event id "same-id" was already used by a different event/,
      );
      assert.deepEqual(
        conflict.body.error?.issues?.map((i) => i.path),
        ['events[0].id'],
      );
      assert.deepEqual(
        conflict.body.results?.map((r) => r['status']),
        ['conflict'],
      );
      const stamped = await post({ ...first, timestamp: '2026-11-02T09:00:00.000Z' });
      assert.equal(stamped.status, 409, 'a different timestamp is a different event');

      const mixed = await post([
        first,
        other,
        lumaEvent('LumaCheckoutEvent_Email', 'dan@luma.example', cart, 'new-id'),
      ]);
      assert.equal(mixed.status, 207);
      assert.deepEqual(
        mixed.body.results?.map((r) => r['status']),
        ['duplicate', 'conflict', 'accepted'],
      );
      assert.deepEqual(
        [
          mixed.body['accepted'],
          mixed.body['duplicates'],
          mixed.body['conflicts'],
          mixed.body['rejected'],
        ],
        [1, 1, 1, 0],
      );
      const inOneBatch = await post([
        lumaEvent('LumaCheckoutEvent_Email', 'eve@luma.example', cart, 'batch-id'),
        lumaEvent('LumaCheckoutEvent_Email', 'fay@luma.example', cart, 'batch-id'),
      ]);
      assert.deepEqual(
        inOneBatch.body.results?.map((r) => r['status']),
        ['accepted', 'conflict'],
        'within one request too',
      );

      const profileId = (await s.request('GET', '/v1/profiles/Email/cara@luma.example')).body
        .id as string;
      const stored = await s.app.reads.profileEvents('prod', profileId, {
        types: null,
        since: null,
      });
      assert.equal(stored.length, 1, 'the first event stays the only one');
      assert.deepEqual(
        (stored[0]?.payload as { productListItems: unknown }).productListItems,
        first['payload'] && (first['payload'] as { productListItems: unknown }).productListItems,
      );
      assert.deepEqual(
        (await s.request('GET', '/v1/dead-letters')).body.items,
        [],
        'a conflict is answered, not dead-lettered',
      );
    } finally {
      await s.close();
    }
  });
}

test(
  'NATS: a redelivered event id carrying a different event is reported as a conflict and acked, not retried',
  { timeout: 120_000 },
  async () => {
    const bus = await testBus();
    try {
      const s = await apiWorld();
      const logs: string[] = [];
      try {
        const ingest = await startNatsIngest({
          app: s.app,
          servers: NATS_URL,
          stream: bus.stream,
          subjectPrefix: bus.prefix,
          log: (level, message, details) =>
            logs.push(`${level} ${message} ${JSON.stringify(details)}`),
        });
        try {
          const to = `${bus.prefix}.prod`;
          await bus.publish(
            to,
            lumaEvent('LumaCheckoutEvent_Email', 'gus@luma.example', cart, 'nats-same'),
          );
          await bus.publish(
            to,
            lumaEvent('LumaCheckoutEvent_Email', 'gus@luma.example', cart, 'nats-same'),
          );
          await bus.publish(
            to,
            lumaEvent('LumaCheckoutEvent_Email', 'hal@luma.example', cart, 'nats-same'),
          );
          await eventually('all three acked', () => ingest.stats().acked === 3);
          const stats = ingest.stats();
          assert.deepEqual(
            {
              accepted: stats.accepted,
              duplicates: stats.duplicates,
              conflicts: stats.conflicts,
              rejected: stats.rejected,
              retried: stats.retried,
            },
            { accepted: 1, duplicates: 1, conflicts: 1, rejected: 0, retried: 0 },
          );
          assert.ok(
            logs.some(
              (l) =>
                l.startsWith('warn a NATS event reuses the id of a different event') &&
                l.includes('"eventId":"nats-same"'),
            ),
            logs.join('\n'),
          );
          const consumer = await eventually('the consumer drained', async () => {
            const c = await bus.consumer();
            return c.num_pending === 0 && c.num_ack_pending === 0 && c;
          });
          assert.equal(consumer.num_redelivered, 0, 'nothing handed back');
        } finally {
          await ingest.stop();
        }
      } finally {
        await s.close();
      }
    } finally {
      await bus.close();
    }
  },
);
