// The console's generated forms (ui/src/forms), without a browser: every object kind's field model
// holds every demo object without losing a byte, "Create" starts from a useful object, and every
// error the form shows is in plain words at a field the form has.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lumaPackage } from '../../examples/luma/index.ts';
import { defaultNamespaces } from '../../src/model/identity.ts';
import { objectKinds } from '../../src/runtime/object-kinds.ts';
import { emptySpec } from '../../ui/src/forms/empty.ts';
import {
  bindSpec,
  formModel,
  isRaw,
  schemaFor,
  unbind,
  walk,
} from '../../ui/src/forms/field-model.ts';
import type { Bound, FieldNode, TextNode } from '../../ui/src/forms/field-model.ts';
import {
  displayName,
  editedApart,
  irrelevant,
  KIND_NAMES,
  KINDS,
  REDACTED,
  secretPaths,
  withBuiltIns,
} from '../../ui/src/forms/kinds.ts';
import type { ObjectKindName } from '../../ui/src/forms/kinds.ts';
import { fieldsByPath, validateSpec } from '../../ui/src/forms/messages.ts';
import { formatPath, parsePath, writeAt } from '../../ui/src/forms/paths.ts';
import { mirrored } from '../../ui/src/forms/coupled.ts';
import { suggestionsFor } from '../../ui/src/forms/suggestions.ts';
import {
  addField,
  fieldsOf,
  removeField,
  renameField,
  setRequired,
  typeOf,
  withField,
  withType,
} from '../../ui/src/forms/json-schema-edit.ts';

type Spec = Record<string, unknown>;

/** The Luma demo's objects by console kind (the default identity namespaces stand in for namespaces). */
function demoObjects(): Array<{ kind: ObjectKindName; spec: Spec }> {
  const route = new Map(objectKinds.map((k) => [k.kind, k.route]));
  const pkg = lumaPackage({ loyaltyUrl: 'http://127.0.0.1:4601/loyalty' }) as {
    objects: Array<{ kind: string; spec: Spec }>;
  };
  // Kinds the console edits with the schema form (landing pages have their own editor).
  const edited = new Set<string>(KIND_NAMES);
  const objects = pkg.objects
    .filter((o) => route.has(o.kind) && edited.has(route.get(o.kind)!))
    .map((o) => ({ kind: route.get(o.kind) as ObjectKindName, spec: o.spec }));
  return [
    ...objects,
    ...defaultNamespaces.map((n) => ({ kind: 'namespaces' as const, spec: { ...n } as Spec })),
    ...DECISIONING,
    ...SEGMENT_SOURCES,
  ];
}

/** A Segment source with every part (the demo ships none: a team makes one per pipeline). */
const SEGMENT_SOURCES: Array<{ kind: ObjectKindName; spec: Spec }> = [
  {
    kind: 'segment-sources',
    spec: {
      id: 'luma-web',
      name: 'Luma website (Segment)',
      apiKeys: ['Segment'],
      identities: [
        { namespace: 'Email', from: 'context.traits.email' },
        { namespace: 'CRMID', from: 'userId' },
      ],
      track: {
        'Order Completed': {
          eventType: 'LumaPurchaseEvent_Email',
          payload: {
            '_aeppartner1.identification.core.email': 'context.traits.email',
            productListItems: 'properties.products',
          },
        },
      },
      unmappedTrack: 'LumaCheckoutEvent_Email',
      page: { eventType: 'LumaCheckoutEvent_Email' },
      traits: { 'person.name.firstName': 'traits.firstName' },
    },
  },
];

/** The decisioning kinds (the demo has none yet): a placement, an offer with every part, a policy. */
const DECISIONING: Array<{ kind: ObjectKindName; spec: Spec }> = [
  {
    kind: 'placements',
    spec: { id: 'email-banner', name: 'Email banner', channel: 'email', contentType: 'imageLink' },
  },
  {
    kind: 'offers',
    spec: {
      id: 'spring-ten',
      name: 'Spring: 10% off',
      status: 'approved',
      fallback: false,
      startDate: '2026-03-01T00:00:00Z',
      endDate: '2026-06-01T00:00:00Z',
      priority: 50,
      tags: ['spring'],
      attributes: { discount: 10 },
      representations: [
        {
          placement: 'email-banner',
          text: '10% off everything',
          imageAsset: 'luma-logo',
          link: 'https://luma.example/spring',
        },
      ],
      eligibility: {
        audiences: { any: ['Luma - Blue Luma+ Members'] },
        rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} != ""',
      },
      caps: [{ scope: 'profile', count: 3, period: { unit: 'week', every: 1 } }],
      labels: [],
    },
  },
  {
    kind: 'decision-policies',
    spec: {
      id: 'spring-sale',
      name: 'Spring sale',
      placement: 'email-banner',
      count: 2,
      strategies: [
        { collection: { tags: { any: ['spring'] } }, ranking: 'priority' },
        { offers: ['spring-ten'], ranking: { formula: '@event{offer.priority} * 2' } },
      ],
      fallback: 'spring-ten',
      labels: [],
    },
  },
];

const DEMO = demoObjects();

/** Where the field model would put a JSON editor instead of a real input. */
function jsonFallbacks(b: Bound): string[] {
  const out: string[] = [];
  walk(b, (x) => {
    if (isRaw(x) || x.node.type === 'json') out.push(formatPath(x.path));
  });
  return out;
}

function assertPlain(
  kind: string,
  issues: ReadonlyArray<{ path: string; message: string }>,
  context: string,
): void {
  for (const i of issues) {
    assert.doesNotMatch(
      i.message,
      /Invalid input|expected .* received|Too small|Too big|Invalid option|Unrecognized key|Invalid discriminator/i,
      `${kind} ${context}: ${i.path}: ${i.message}`,
    );
    assert.match(
      i.message,
      /^[A-Z"]/,
      `${kind} ${context}: ${i.path}: "${i.message}" starts like a sentence`,
    );
  }
}

function nodeAt(kind: ObjectKindName, spec: Spec, path: string): FieldNode | undefined {
  return fieldsByPath(bindSpec(kind, spec)).get(path)?.node;
}

describe('schema forms: the field model of every object kind', () => {
  test('the demo covers every kind the console edits', () => {
    assert.deepEqual([...new Set(DEMO.map((o) => o.kind))].sort(), [...KIND_NAMES].sort());
    assert.deepEqual(
      KIND_NAMES.map((k) => KINDS[k].schema),
      KIND_NAMES.map((k) => objectKinds.find((o) => o.route === k)!.schema),
      "the forms use the server's schemas",
    );
  });

  for (const { kind, spec } of DEMO) {
    test(`${kind} "${displayName(kind, spec)}": demo object → form → value is the same object, and valid`, () => {
      const bound = bindSpec(kind, spec);
      assert.deepStrictEqual(unbind(bound), spec);
      assert.deepEqual(validateSpec(kind, spec), []);
      // JSON editors only where the schema itself is free JSON (a JSON Schema, a sample answer, a scalar-or-list value).
      // Fields a purpose-built editor edits instead of the form (an offer's eligibility) are not drawn by it.
      const apart = editedApart(kind);
      for (const path of jsonFallbacks(bound).filter(
        (x) => !apart.some((f) => x === f || x.startsWith(`${f}.`) || x.startsWith(`${f}[`)),
      ))
        assert.match(path, /(^|\.)(schema|sample|value)$/, `${kind}: ${path} falls back to JSON`);
    });
  }

  test('secrets shown "[redacted]" by the API round-trip and validate (the placeholder keeps the stored secret)', () => {
    let checked = 0;
    for (const { kind, spec } of DEMO) {
      let redacted: Spec = spec;
      for (const path of secretPaths(kind, spec)) {
        const segs = parsePath(path);
        if (
          segs.reduce<unknown>((v, s) => (v as Spec | undefined)?.[s as string], spec) === undefined
        )
          continue;
        redacted = writeAt(redacted, segs, REDACTED) as Spec;
        checked++;
      }
      assert.deepStrictEqual(unbind(bindSpec(kind, redacted)), redacted);
      assert.deepEqual(validateSpec(kind, redacted), [], kind);
    }
    assert.ok(checked >= 2, `secrets checked: ${checked}`); // DXDemoApp's APNs key and FCM private key
    const withHeaders = {
      ...DEMO.find((o) => o.kind === 'actions')!.spec,
      auth: {
        kind: 'customToken',
        endpoint: 'https://auth.example.com/token',
        headers: REDACTED,
        body: REDACTED,
      },
    };
    assert.deepEqual(validateSpec('actions', withHeaders), []);
    assert.deepStrictEqual(unbind(bindSpec('actions', withHeaders)), withHeaders);
  });

  test('secret fields are marked as secrets, by channel for channel configurations', () => {
    const email = DEMO.find(
      (o) => o.kind === 'channel-configurations' && o.spec['channel'] === 'email',
    )!.spec;
    const withAuth = writeAt(email, ['smtp', 'auth'], { user: 'u', pass: 'p' }) as Spec;
    assert.equal(
      (nodeAt('channel-configurations', withAuth, 'smtp.auth.pass') as TextNode).secret,
      true,
    );
    assert.equal(
      (nodeAt('channel-configurations', withAuth, 'smtp.auth.user') as TextNode).secret,
      false,
    );
    const push = DEMO.find(
      (o) => o.kind === 'channel-configurations' && o.spec['channel'] === 'push',
    )!.spec;
    assert.equal((nodeAt('channel-configurations', push, 'apns.p8Key') as TextNode).secret, true);
    assert.equal(
      (nodeAt('channel-configurations', push, 'fcm.serviceAccount.private_key') as TextNode).secret,
      true,
    );
    const basic = {
      ...DEMO.find((o) => o.kind === 'actions')!.spec,
      auth: { kind: 'basic', username: 'u', password: 'p' },
    };
    assert.equal((nodeAt('actions', basic, 'auth.password') as TextNode).secret, true);
    assert.equal((nodeAt('actions', basic, 'auth.username') as TextNode).secret, false);
  });

  test('fields that name other objects are pickers of that kind', () => {
    const ref = (kind: ObjectKindName, spec: Spec, path: string) =>
      (nodeAt(kind, spec, path) as TextNode | undefined)?.reference;
    const event = DEMO.find((o) => o.kind === 'event-types')!.spec;
    assert.equal(ref('event-types', event, 'identity.namespace'), 'namespaces');
    const audience = {
      name: 'A',
      origin: 'streaming',
      namespace: 'Email',
      definition: {
        kind: 'and',
        rules: [
          {
            kind: 'event',
            eventType: 'LumaCheckoutEvent_Email',
            count: { op: 'atLeast', value: 1 },
          },
          { kind: 'not', rule: { kind: 'audience', name: 'Luma - Mobile App Users' } },
        ],
      },
    };
    assert.equal(ref('audiences', audience, 'namespace'), 'namespaces');
    assert.equal(ref('audiences', audience, 'definition.rules[0].eventType'), 'event-types');
    assert.equal(ref('audiences', audience, 'definition.rules[1].rule.name'), 'audiences');
    assert.equal(ref('audiences', audience, 'name'), undefined, "the audience's own name is typed");
    const email = DEMO.find(
      (o) => o.kind === 'content-templates' && o.spec['channel'] === 'email',
    )!.spec;
    const fields = fieldsByPath(bindSpec('content-templates', email));
    const refs = new Map<string, string>();
    for (const [path, b] of fields)
      if (b.node.type === 'text' && b.node.reference)
        refs.set(path.replace(/\[\d+\]/g, '[]'), b.node.reference);
    assert.equal(refs.get('content.languageSettings'), 'language-settings');
    assert.ok(
      [...refs].some(([p, k]) => p.endsWith('.assetId') && k === 'assets'),
      JSON.stringify([...refs]),
    );
    const withFragment = writeAt(
      email,
      ['content', 'document', 'body', 0, 'columns', 0, 'blocks', 0],
      { kind: 'fragment', id: 'footer', fragmentId: 'luma-footer' },
    ) as Spec;
    assert.equal(
      ref(
        'content-templates',
        withFragment,
        'content.document.body[0].columns[0].blocks[0].fragmentId',
      ),
      'fragments',
    );
    const fragment = {
      id: 'f',
      name: 'F',
      status: 'draft',
      content: {
        type: 'visual',
        blocks: [
          {
            kind: 'image',
            id: 'i',
            assetId: 'luma-logo',
            variants: [
              {
                name: 'v',
                condition: { kind: 'audience', audience: 'X' },
                block: { kind: 'text', id: 't', content: '' },
              },
            ],
          },
        ],
      },
    };
    assert.equal(ref('fragments', fragment, 'content.blocks[0].assetId'), 'assets');
    assert.equal(
      ref('fragments', fragment, 'content.blocks[0].variants[0].condition.audience'),
      'audiences',
    );
  });

  test("a content template's channel and its content's channel move together", () => {
    const model = formModel('content-templates');
    const start = emptySpec('content-templates');
    const sms = mirrored(model, 'content-templates', ['channel'], { ...start, channel: 'sms' });
    assert.deepEqual(sms['content'], { channel: 'sms', text: '' });
    const push = mirrored(model, 'content-templates', ['content'], {
      ...start,
      content: { channel: 'push', title: '', body: '' },
    });
    assert.equal(push['channel'], 'push');
    assert.deepEqual(validateSpec('content-templates', { ...sms, id: 't', name: 'T' }), []);
  });

  test("an event's payload schema is edited as a list of fields, keeping what the list does not show", () => {
    const event = DEMO.find((o) => o.kind === 'event-types')!.spec;
    const schema = event['schema'] as Spec;
    const node = nodeAt('event-types', event, 'schema');
    assert.equal(node?.type === 'json' && node.jsonSchema, true);
    // Rewriting every field as it is listed changes nothing.
    const same = fieldsOf(schema).reduce((s, f) => withField(s, f.name, f.schema), schema);
    assert.deepStrictEqual(same, schema);
    assert.deepEqual(
      fieldsOf(schema)
        .map((f) => [f.name, typeOf(f.schema), f.required])
        .slice(0, 2),
      [
        ['_aeppartner1', 'object', true],
        ['customer', 'object', false],
      ],
    );
    const renamed = renameField(schema, 'customer', 'buyer');
    assert.deepEqual(
      Object.keys(renamed['properties'] as Spec),
      Object.keys(schema['properties'] as Spec).map((k) => (k === 'customer' ? 'buyer' : k)),
    );
    const items = renameField(schema, 'productListItems', 'items');
    assert.deepEqual(items['required'], ['_aeppartner1', 'items']);
    const typed = withType({ type: 'string', description: 'When', minLength: 1 }, 'date-time');
    assert.deepEqual(typed, { type: 'string', format: 'date-time', description: 'When' });
    assert.deepEqual(withType({ type: 'string' }, 'array'), {
      type: 'array',
      items: { type: 'string' },
    });
    const added = addField({});
    assert.deepEqual(added, { type: 'object', properties: { newField: { type: 'string' } } });
    assert.deepEqual(setRequired(setRequired(added, 'newField', true), 'newField', false), added);
    assert.deepEqual(removeField(setRequired(added, 'newField', true), 'newField'), {
      type: 'object',
      properties: {},
    });
    assert.deepEqual(
      validateSpec('event-types', {
        ...event,
        schema: renamed,
        identity: { path: 'buyer.email', namespace: 'Email' },
      }),
      [],
    );
  });

  test('the namespace picker offers the built-in namespaces besides the stored ones', () => {
    const lookup = withBuiltIns((kind) =>
      kind === 'namespaces'
        ? [
            { key: 'LoyaltyID', label: 'Loyalty ID' },
            { key: 'Email', label: 'Email (custom)' },
          ]
        : [],
    );
    assert.deepEqual(
      lookup('namespaces').map((o) => o.key),
      ['Phone', 'ECID', 'CRMID', 'LoyaltyID', 'Email'],
    );
    assert.deepEqual(lookup('event-types'), []);
  });

  test('a value that means nothing in its place is hidden while empty', () => {
    assert.equal(irrelevant('actions', 'value', { kind: 'variable' }), true);
    assert.equal(irrelevant('actions', 'value', { kind: 'constant' }), false);
    assert.equal(irrelevant('audiences', 'value', { kind: 'attribute', op: 'exists' }), true);
    assert.equal(irrelevant('audiences', 'value', { kind: 'attribute', op: 'equals' }), false);
    assert.equal(irrelevant('audiences', 'path', { kind: 'attribute', op: 'exists' }), false);
  });

  test("an event type's identifier path is suggested from the payload's text fields", () => {
    const event = DEMO.find(
      (o) => o.kind === 'event-types' && o.spec['name'] === 'LumaCheckoutEvent_Email',
    )!.spec;
    const paths = suggestionsFor('event-types', ['identity', 'path'], event);
    assert.ok(paths.includes('_aeppartner1.identification.core.email'), paths.join(', '));
    assert.ok(paths.includes((event['identity'] as Spec)['path'] as string));
    assert.ok(
      !paths.some((p) => p.startsWith('productListItems')),
      'fields inside lists are not identifiers',
    );
    assert.deepEqual(suggestionsFor('event-types', ['name'], event), []);
  });

  test('display names are the names people gave, not ids', () => {
    const name = (kind: ObjectKindName, key: string) =>
      displayName(
        kind,
        DEMO.find((o) => o.kind === kind && String(o.spec[KINDS[kind].keyField]) === key)!.spec,
      );
    const fragment = DEMO.find((o) => o.kind === 'fragments')!.spec;
    assert.equal(displayName('fragments', fragment), fragment['name']);
    assert.notEqual(displayName('fragments', fragment), fragment['id']);
    assert.equal(name('namespaces', 'ECID'), 'Experience Cloud ID');
    assert.equal(name('event-types', 'LumaCheckoutEvent_Email'), 'LumaCheckoutEvent_Email');
    assert.equal(displayName('profile-schemas', { name: 'profile', schema: {} }), 'Profile schema');
  });

  test('schemaFor gives the JSON Schema of what a client writes, for every kind', () => {
    for (const kind of KIND_NAMES) {
      const s = schemaFor(kind);
      assert.ok(s['properties'] !== undefined || s['oneOf'] !== undefined, kind);
      // Defaulted fields are optional in what a client writes.
      if (kind === 'namespaces') assert.deepEqual(s['required'], ['code', 'name']);
    }
  });
});

describe('schema forms: "Create" and errors in plain words', () => {
  for (const kind of KIND_NAMES) {
    test(`${kind}: the starting object is the kind's shape, and only what must be typed is flagged, in words`, () => {
      const start = emptySpec(kind);
      assert.ok(
        Object.keys(start).length > 2 || kind === 'profile-schemas',
        'more than a bare name',
      );
      assert.deepStrictEqual(unbind(bindSpec(kind, start)), start);
      const issues = validateSpec(kind, start);
      if (kind === 'profile-schemas') assert.deepEqual(issues, []);
      else assert.ok(issues.length > 0, 'the key still has to be typed');
      assertPlain(kind, issues, 'emptySpec');
      const fields = fieldsByPath(bindSpec(kind, start));
      for (const i of issues)
        assert.ok(fields.has(i.path), `${kind}: "${i.path}" is a field of the form`);
      for (const i of issues)
        assert.match(i.message, /^(Enter|Choose|Add)/, `${kind}: ${i.path}: ${i.message}`);
    });
  }

  test('the messages a marketer sees for the usual mistakes', () => {
    const byPath = (issues: ReadonlyArray<{ path: string; message: string }>) =>
      Object.fromEntries(issues.map((i) => [i.path, i.message]));
    assert.deepEqual(byPath(validateSpec('event-types', emptySpec('event-types'))), {
      name: 'Enter a name',
    });
    const noNamespace = writeAt(
      emptySpec('event-types'),
      ['identity', 'namespace'],
      undefined,
    ) as Spec;
    assert.equal(
      byPath(validateSpec('event-types', { ...noNamespace, name: 'E' }))['identity.namespace'],
      'Choose an identity namespace',
    );
    const action = byPath(
      validateSpec('actions', { ...emptySpec('actions'), name: 'A', url: 'not a url' }),
    );
    assert.equal(action['url'], 'Enter a full URL such as https://example.com');
    assert.equal(
      byPath(
        validateSpec('actions', { ...emptySpec('actions'), name: 'A b', url: 'https://x.example' }),
      )['name'],
      'Use letters, digits and _ only, at most 30 characters',
    );
    assert.equal(
      byPath(
        validateSpec('actions', {
          ...emptySpec('actions'),
          name: 'A',
          url: 'https://x.example',
          method: 'DELETE',
        }),
      )['method'],
      'Choose one of: POST, PUT or GET',
    );
    assert.equal(
      byPath(
        validateSpec('actions', {
          ...emptySpec('actions'),
          name: 'A',
          url: 'https://x.example',
          auth: { kind: 'magic' },
        }),
      )['auth.kind'],
      'Choose an authentication type',
    );
    assert.equal(
      byPath(validateSpec('channel-configurations', { channel: 'fax', name: 'F' }))['channel'],
      'Choose a channel',
    );
    assert.equal(
      byPath(validateSpec('fragments', { ...emptySpec('fragments'), status: 'gone' }))['status'],
      'Choose one of: Draft, Live or Archived',
    );
    assert.equal(
      byPath(
        validateSpec('assets', {
          ...emptySpec('assets'),
          id: 'a',
          name: 'A',
          url: 'u',
          tags: 'logo',
        }),
      )['tags'],
      'Tags must be a list',
    );
    const mail = { channel: 'email', name: 'Mail', fromAddress: 'not-an-address' };
    const mailIssues = byPath(validateSpec('channel-configurations', mail));
    assert.equal(mailIssues['fromAddress'], 'Enter an email address such as name@example.com');
    assert.equal(mailIssues['smtp'], 'Fill in "SMTP server"');
    const rules = byPath(
      validateSpec('rule-sets', { ...emptySpec('rule-sets'), name: 'R', rules: [] }),
    );
    assert.equal(rules['rules'], 'Add at least one rule');
    const locales = byPath(
      validateSpec('language-settings', {
        ...emptySpec('language-settings'),
        id: 'l',
        name: 'L',
        locales: [{ locale: 'English' }],
      }),
    );
    assert.equal(locales['locales[0].locale'], 'Enter a locale such as en, en_US or fr-FR');
    const audience = byPath(
      validateSpec('audiences', {
        name: 'A',
        origin: 'streaming',
        definition: { kind: 'event', eventType: '' },
      }),
    );
    assert.equal(audience['definition.eventType'], 'Choose an event type');
    assert.equal(audience['definition.count'], 'Fill in "How many times"');
  });

  test("no field of any demo object, emptied or given the wrong type, yields a message in zod's words", () => {
    let checked = 0;
    for (const { kind, spec } of DEMO) {
      const paths = new Set<string>();
      walk(bindSpec(kind, spec), (b) => {
        if (b.path.length > 0) paths.add(formatPath(b.path));
      });
      for (const path of paths) {
        for (const wrong of [undefined, '', 12, true, [], {}]) {
          const broken = writeAt(spec, parsePath(path), wrong) as Spec;
          const issues = validateSpec(kind, broken);
          assertPlain(kind, issues, `${path} = ${JSON.stringify(wrong)}`);
          checked += issues.length;
        }
      }
    }
    assert.ok(checked > 500, `messages checked: ${checked}`);
  });

  test('every kind has a form model whose fields all have labels', () => {
    for (const kind of KIND_NAMES) {
      const model = formModel(kind);
      const unlabelled: string[] = [];
      const visit = (n: FieldNode, where: string, depth: number): void => {
        if (depth > 12) return;
        if (n.key !== '' && n.label.trim() === '') unlabelled.push(where);
        if (n.type === 'object') n.fields.forEach((f) => visit(f, `${where}.${f.key}`, depth + 1));
        if (n.type === 'array') visit(n.item, `${where}[]`, depth + 1);
        if (n.type === 'union')
          n.variants.forEach((v) => visit(v.node, `${where}<${v.tag}>`, depth + 1));
      };
      visit(model.root, kind, 0);
      assert.deepEqual(unlabelled, [], kind);
    }
  });
});
