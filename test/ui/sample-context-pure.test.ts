// The review page's sample context editor, its pure part: the JSON text as a trigger call's
// context (an object), or what is wrong and on which line; the stored context shown back as text;
// and the trigger call's cURL using it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { triggerCurl } from '../../ui/src/campaigns/campaign-text.ts';
import {
  MAX_SAMPLE_CONTEXT_CHARS,
  jsonErrorOffset,
  parseSampleContext,
  sampleContextText,
} from '../../ui/src/campaigns/sample-context.ts';
import { MAX_SAMPLE_CONTEXT_CHARS as SERVER_MAX } from '../../src/model/campaign.ts';

describe('parseSampleContext', () => {
  test('an object is the context; empty text is none', () => {
    assert.deepEqual(parseSampleContext('{"orderId": "1001", "order": {"total": 12.5}}'), {
      ok: true,
      value: { orderId: '1001', order: { total: 12.5 } },
    });
    assert.deepEqual(parseSampleContext('  \n '), { ok: true, value: undefined });
  });

  test('broken JSON names the line where it broke', () => {
    const r = parseSampleContext('{\n  "orderId": "1001",\n  "carrier": UPS\n}');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.message, /^Not valid JSON/);
    assert.equal(r.line, 3);
    assert.match(r.message, /\(line 3\)/);
  });

  test('anything but an object is refused, saying what it is', () => {
    for (const [text, what] of [
      ['[1, 2]', 'a list'],
      ['"1001"', 'a string'],
      ['42', 'a number'],
      ['null', 'null'],
    ] as const) {
      const r = parseSampleContext(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) assert.match(r.message, new RegExp(`JSON object.*not ${what}$`), text);
    }
  });

  test("more than a trigger call's 200 KB is refused, as the server does", () => {
    assert.equal(MAX_SAMPLE_CONTEXT_CHARS, SERVER_MAX);
    const r = parseSampleContext(JSON.stringify({ blob: 'x'.repeat(MAX_SAMPLE_CONTEXT_CHARS) }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /Too large.*200 KB/);
  });
});

describe('jsonErrorOffset', () => {
  test('agrees with JSON.parse on what is JSON, and says where it stops being JSON', () => {
    const cases: Array<[string, number | null]> = [
      ['{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', null],
      ['  {}  ', null],
      ['{"a": 1,}', 8],
      ['{"a": 1', 7],
      ["{'a': 1}", 1],
      ['{"a": 01}', 7],
      ['{"a": tru}', 9],
      ['[1 2]', 3],
      ['{} x', 3],
      ['', 0],
    ];
    for (const [text, at] of cases) {
      assert.equal(jsonErrorOffset(text), at, text);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      assert.equal(parses, at === null, `JSON.parse agrees on ${text}`);
    }
  });

  test('an unfinished object ends too soon', () => {
    const r = parseSampleContext('{\n  "orderId": "1001"');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /line 2.*ends too soon/);
  });
});

describe('sampleContextText', () => {
  test('indented JSON that parses back to the same context; nothing for none', () => {
    const v = { orderId: '1001', carrier: 'UPS' };
    const text = sampleContextText(v);
    assert.equal(text, '{\n  "orderId": "1001",\n  "carrier": "UPS"\n}');
    assert.deepEqual(parseSampleContext(text), { ok: true, value: v });
    assert.equal(sampleContextText(undefined), '');
  });
});

describe('triggerCurl with a sample context', () => {
  test("the call's context is the campaign's sample context when it has one", () => {
    const curl = (context?: Record<string, unknown>) =>
      triggerCurl({
        origin: 'http://localhost:4000',
        campaignId: 'luma-order-shipped',
        sandbox: 'prod',
        namespace: 'Email',
        mode: 'transactional',
        context,
      });
    assert.match(curl({ orderId: '1001' }), /"context": \{\n\s+"orderId": "1001"\n\s+\}/);
    assert.match(curl(), /"order": \{\n\s+"id": "10001"/);
  });
});
