// The Assistant's pure core: anchors as VitePress makes them, passages of a page, intents, budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Budget } from '../../src/assistant/budget.ts';
import { excerpt, markdownPassages } from '../../src/assistant/doc-sections.ts';
import { recognize } from '../../src/assistant/intents.ts';
import { slugify } from '../../src/assistant/slug.ts';

test('anchors follow VitePress: lowercase, punctuation to -, a leading digit prefixed', () => {
  assert.equal(slugify('Channel rules: frequency caps'), 'channel-rules-frequency-caps');
  assert.equal(slugify('Access labels (object-level access)'), 'access-labels-object-level-access');
  assert.equal(slugify("In each profile's time zone"), 'in-each-profile-s-time-zone');
  assert.equal(
    slugify('3. Complete the purchase (3 minutes)'),
    '_3-complete-the-purchase-3-minutes',
  );
  assert.equal(slugify('Café déjà vu'), 'cafe-deja-vu');
});

test('a page is cut at its headings, each passage linking its anchor; code is kept apart', () => {
  const md = [
    '# Journeys',
    'Intro text that is long enough to count.',
    '## Lifecycle',
    'Test mode runs only test profiles.',
    '```sh',
    '# not a heading',
    'waymark journeys publish',
    '```',
    '## Lifecycle',
    'A second section with the same heading.',
  ].join('\n');
  const ps = markdownPassages(md, { id: 'j', href: '/docs/j.html', fallbackTitle: 'j' });
  assert.deepEqual(
    ps.map((p) => [p.title, p.href]),
    [
      ['Journeys', '/docs/j.html'],
      ['Journeys › Lifecycle', '/docs/j.html#lifecycle'],
      ['Journeys › Lifecycle', '/docs/j.html#lifecycle-1'],
    ],
  );
  assert.doesNotMatch(ps[1]!.text, /waymark journeys/);
  assert.match(ps[1]!.code ?? '', /waymark journeys publish/);
});

test('an excerpt keeps the sentences that match the question', () => {
  const text =
    'Draft, test, live. A draft saves whatever its state and this sentence goes on for a while to be long. ' +
    'Publishing a new version closes the previous one and in-flight profiles stay on theirs. '.repeat(
      3,
    ) +
    'Test mode runs only test profiles, with shortened waits.';
  assert.match(excerpt(text, 200, 'How do I test a journey?'), /Test mode runs only test profiles/);
});

test('intents: data questions by their words, product questions otherwise', () => {
  const journeys = [{ id: 'purchase-journey', name: 'Purchase Journey' }];
  const kind = (q: string, prev: string | null = null) => recognize(q, journeys, prev);
  assert.equal(
    kind('Which journey is the most used, and how is it performing?').kind,
    'most-used-journey',
  );
  assert.deepEqual(kind('How is the Purchase Journey performing?'), {
    kind: 'journey-performance',
    journeyId: 'purchase-journey',
  });
  assert.deepEqual(kind('How is the Spring journey performing?'), {
    kind: 'journey-performance',
    journeyId: null,
  });
  assert.equal(kind('How do I test a journey before publishing it?').kind, 'product');
  assert.equal(kind('Is a message ever sent twice?').kind, 'product');
  assert.equal(kind('Where are the errors and timeouts?').kind, 'errors');
  assert.equal(kind('What is our bounce rate?').kind, 'deliverability');
  assert.equal(kind('How big are my audiences?').kind, 'audience-sizes');
  assert.equal(kind('What is waiting right now?').kind, 'waiting');
  assert.equal(kind('How are my campaigns doing?').kind, 'campaigns');
  assert.deepEqual(kind('And how is it doing?', 'purchase-journey'), {
    kind: 'journey-performance',
    journeyId: 'purchase-journey',
  });
});

test('the budget counts tool calls, tokens and time', () => {
  let t = 0;
  const b = new Budget({ toolCalls: 2, tokens: 100, ms: 1000 }, () => t);
  assert.equal(b.takeToolCall(), true);
  assert.equal(b.takeToolCall(), true);
  assert.equal(b.takeToolCall(), false);
  assert.deepEqual(b.state(), { kind: 'ok' });
  b.spendTokens(100);
  assert.deepEqual(b.state(), { kind: 'exhausted', by: 'tokens' });
  const c = new Budget({ toolCalls: 2, tokens: 100, ms: 1000 }, () => t);
  t += 1000;
  assert.deepEqual(c.state(), { kind: 'exhausted', by: 'time' });
});
