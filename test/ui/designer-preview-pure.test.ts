// The email designer's preview, proofs, locales and code view, pure parts: what is upstream of an
// email activity, sample data, the render request, failures in words, proof addresses and prefixes,
// missing translations and merging a translation project's result.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { journeyDefinitionSchema } from '../../src/model/journey.ts';
import { emailContentSchema } from '../../src/model/message-content.ts';
import {
  actionSample,
  audienceMap,
  buildRenderRequest,
  explainFailure,
  median,
  sampleFromSchema,
  samplesFromTrace,
  upstreamOf,
} from '../../ui/src/designer/preview/render-request.ts';
import { parseAddresses, prefixProblem } from '../../ui/src/designer/preview/proof-rules.ts';
import { groupIssues, sizeText } from '../../ui/src/designer/preview/check-model.ts';
import {
  attributesAt,
  isMissing,
  localesOf,
  localized,
  mergeTranslations,
  translateLabel,
} from '../../ui/src/designer/locales/locale-model.ts';
import { countBlocks, withDocument } from '../../ui/src/designer/code/code-model.ts';

const def = journeyDefinitionSchema.parse({
  name: 'Purchase',
  entry: { type: 'event' },
  start: 'checkout',
  nodes: [
    { id: 'checkout', kind: 'event', event: 'LumaCheckoutEvent_Email', next: ['purchase'] },
    {
      id: 'purchase',
      kind: 'event',
      event: 'LumaPurchaseEvent_Email',
      next: ['loyalty'],
      timeout: { duration: 'PT1M', next: ['other'] },
    },
    { id: 'loyalty', kind: 'action', action: 'LoyaltyService', next: ['confirmation'] },
    {
      id: 'confirmation',
      kind: 'email',
      configuration: 'EmailMarketing',
      content: { subject: 'Hi' },
      next: [],
    },
    {
      id: 'other',
      kind: 'email',
      configuration: 'EmailMarketing',
      content: { subject: 'Cart' },
      next: [],
    },
  ],
});
const content = emailContentSchema.parse({
  channel: 'email',
  subject: 'Hi {{profile.person.name.firstName}}',
  html: '',
  document: {
    body: [
      {
        kind: 'structure',
        id: 's',
        columns: [{ id: 'c', blocks: [{ kind: 'text', id: 't', content: '<p>x</p>' }] }],
      },
    ],
  },
});

describe('upstream of an email activity', () => {
  test('events and actions before the node, in journey order; a timeout path sees only what came before it', () => {
    assert.deepEqual(upstreamOf(def, 'confirmation'), {
      events: ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email'],
      actions: ['LoyaltyService'],
    });
    assert.deepEqual(upstreamOf(def, 'other'), {
      events: ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email'],
      actions: [],
    });
    assert.deepEqual(upstreamOf(def, 'checkout'), { events: [], actions: [] });
  });
});

describe('sample data', () => {
  test('from a schema: examples first, one array item, placeholders per type', () => {
    const s = sampleFromSchema({
      type: 'object',
      properties: {
        productListItems: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              quantity: { type: 'integer' },
              priceTotal: { type: 'number' },
            },
          },
        },
        currency: { type: 'string', examples: ['USD'] },
      },
    });
    assert.deepEqual(s, {
      productListItems: [{ name: 'name', quantity: 1, priceTotal: 9.99 }],
      currency: 'USD',
    });
  });
  test('an action response sample, or one from its schema', () => {
    assert.deepEqual(
      actionSample({ responseSample: { kind: 'sample', sample: { PromoCode: 'LUMA10' } } }),
      { PromoCode: 'LUMA10' },
    );
    assert.deepEqual(
      actionSample({
        responseSample: {
          kind: 'jsonSchema',
          schema: { type: 'object', properties: { ok: { type: 'boolean' } } },
        },
      }),
      { ok: true },
    );
    assert.deepEqual(actionSample(undefined), {});
  });
  test('from a test run: the last payload per upstream event and the last response per upstream action', () => {
    const trace = [
      { entry: { kind: 'event', event: 'LumaPurchaseEvent_Email', payload: { n: 1 } } },
      { entry: { kind: 'event', event: 'LumaPurchaseEvent_Email', payload: { n: 2 } } },
      { entry: { kind: 'event', event: 'Unrelated', payload: {} } },
      {
        entry: {
          kind: 'actionResult',
          action: 'LoyaltyService',
          response: { status: 200, body: { PromoCode: 'X' } },
        },
      },
      { entry: { kind: 'actionResult', action: 'LoyaltyService', response: null } },
    ];
    assert.deepEqual(samplesFromTrace(trace, upstreamOf(def, 'confirmation')), {
      events: { LumaPurchaseEvent_Email: { n: 2 } },
      actions: { LoyaltyService: { PromoCode: 'X' } },
    });
  });
});

describe('the render request', () => {
  test('a stored profile by id (the server reads its audiences), the journey context and the configuration', () => {
    const audiences = audienceMap([
      { audience: 'A', status: 'realized' },
      { audience: 'B', status: 'exited' },
      { audience: 'C', status: 'queued' },
    ]);
    assert.deepEqual(audiences, { A: 'realized', B: 'exited' });
    const b = buildRenderRequest({
      content,
      profile: { id: 'p1' },
      audiences,
      events: { E: { a: 1 } },
      actions: { L: { PromoCode: 'Z' } },
      configuration: 'EmailMarketing',
    });
    assert.deepEqual(b, {
      content,
      profileId: 'p1',
      context: { journey: { events: { E: { a: 1 } }, actions: { L: { PromoCode: 'Z' } } } },
      configuration: 'EmailMarketing',
    });
  });
  test('typed attributes with the audiences given, or none; no configuration', () => {
    assert.deepEqual(
      buildRenderRequest({
        content,
        profile: { attributes: { preferredLanguage: 'es_ES' } },
        audiences: { A: 'realized' },
      }).audiences,
      { A: 'realized' },
    );
    const b = buildRenderRequest({
      content,
      profile: { attributes: { preferredLanguage: 'es_ES' } },
    });
    assert.deepEqual(b, {
      content,
      profile: { preferredLanguage: 'es_ES' },
      context: { journey: { events: {}, actions: {} } },
    });
    assert.equal('profileId' in buildRenderRequest({ content, profile: null }), false);
  });
  test('median of round trips', () => {
    assert.equal(median([]), null);
    assert.equal(median([30, 10, 20]), 20);
    assert.equal(median([10, 20, 30, 41]), 25);
  });
  test("failures in a marketer's words", () => {
    assert.match(explainFailure('no_locale', 'no locale for fr').title, /no language/);
    assert.match(
      explainFailure('limit_exceeded', 'too many', {
        name: 'iterations',
        max: 1000,
        where: { field: 'html', line: 3 },
      }).text,
      /iterations, at most 1000\) in html, line 3/,
    );
    assert.match(explainFailure('render_error', 'boom').text, /boom/);
  });
});

describe('proofs and checks', () => {
  test('addresses: separators, duplicates, invalid ones, at most 10', () => {
    assert.deepEqual(parseAddresses('a@x.io, b@x.io;\nA@x.io'), {
      addresses: ['a@x.io', 'b@x.io'],
      problems: [],
    });
    assert.deepEqual(parseAddresses('nope a@x.io').problems, ['"nope" is not an email address']);
    assert.match(
      parseAddresses(Array.from({ length: 11 }, (_, i) => `p${i}@x.io`).join(',')).problems[0]!,
      /at most 10/,
    );
  });
  test("subject prefix: AJO's characters only", () => {
    assert.equal(prefixProblem(''), null);
    assert.equal(prefixProblem('[proof]'), null);
    assert.equal(prefixProblem('(v1.2)_test-A'), null);
    assert.notEqual(prefixProblem('proof!'), null);
    assert.notEqual(prefixProblem('<b>'), null);
  });
  test('issues grouped errors first; size in KB of 102', () => {
    const g = groupIssues([
      { severity: 'warning', code: 'w', message: 'w' },
      { severity: 'error', code: 'e', message: 'e', blockId: 'b' },
    ]);
    assert.deepEqual(
      g.map((x) => x.severity),
      ['error', 'warning'],
    );
    assert.equal(sizeText(14416), '14.1 KB of 102 KB');
  });
});

describe('locales and code', () => {
  test('locales of the settings, missing translations, the merged result as one content', () => {
    const s = {
      locales: [{ locale: 'en_US' }, { locale: 'es_ES' }, { locale: 'fr_FR' }],
      fallbackLocale: 'de_DE',
    };
    assert.deepEqual(localesOf(s), { source: 'en_US', others: ['es_ES', 'fr_FR', 'de_DE'] });
    const c = {
      ...content,
      languageSettings: 'L',
      locales: { es_ES: { subject: 'Hola' }, fr_FR: { preheader: 'only a preheader' } },
    };
    assert.equal(isMissing(c, 'es_ES'), false);
    assert.equal(isMissing(c, 'fr_FR'), true);
    assert.equal(isMissing(c, 'de_DE'), true);
    const m = mergeTranslations(c, {
      fr_FR: { subject: 'Bonjour', document: content.document },
      es_ES: { preheader: 'Hola', subject: undefined },
    });
    assert.deepEqual(m.locales?.['fr_FR'], {
      preheader: 'only a preheader',
      subject: 'Bonjour',
      document: content.document,
    });
    assert.deepEqual(m.locales?.['es_ES'], { subject: 'Hola', preheader: 'Hola' });
    assert.equal(translateLabel(['es_ES', 'fr_FR']), 'Translate to es_ES, fr_FR');
    assert.equal(localized(m, 'fr_FR').subject, 'Bonjour');
    assert.equal(localized(m, null).subject, content.subject);
  });
  test("a profile of a locale at the preference attribute's path", () => {
    assert.deepEqual(attributesAt('person.preferredLanguage', 'es_ES'), {
      person: { preferredLanguage: 'es_ES' },
    });
  });
  test("the code replaces the open locale's document or the default one", () => {
    const doc = content.document!;
    assert.equal(withDocument({ ...content, document: undefined }, null, doc).document, doc);
    const l = withDocument({ ...content, locales: { es_ES: { subject: 'Hola' } } }, 'es_ES', doc);
    assert.deepEqual(l.locales?.['es_ES'], { subject: 'Hola', document: doc });
    assert.equal(l.document, content.document);
    assert.equal(countBlocks(doc), 1);
  });
});
