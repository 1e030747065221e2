// The canvas's edits on journey definitions (ui/src/canvas/graph.ts, history.ts): pure functions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JourneyDefinition } from '../../src/model/journey.ts';
import { journeyDefinitionSchema } from '../../src/model/journey.ts';
import {
  addNode,
  connect,
  disconnect,
  edgesOf,
  handlesOf,
  makeNode,
  removeNodes,
} from '../../ui/src/canvas/graph.ts';
import { historyReducer } from '../../ui/src/canvas/history.ts';
import { parseDuration } from '../../ui/src/canvas/panels/duration-input.tsx';

const base = (): JourneyDefinition =>
  journeyDefinitionSchema.parse({
    name: 'T',
    start: 'checkout',
    nodes: [
      {
        id: 'checkout',
        kind: 'event',
        event: 'LumaCheckoutEvent_Email',
        next: [],
        position: { x: 0, y: 0 },
      },
      {
        id: 'purchase',
        kind: 'event',
        event: 'LumaPurchaseEvent_Email',
        next: [],
        timeout: { duration: 'PT1M', next: [] },
        position: { x: 200, y: 0 },
      },
      { id: 'wait', kind: 'wait', duration: 'PT1H', next: [], position: { x: 200, y: 100 } },
      {
        id: 'mail',
        kind: 'email',
        configuration: 'EmailMarketing',
        content: {},
        next: [],
        position: { x: 400, y: 0 },
      },
    ],
  });

describe('canvas graph edits', () => {
  test('events and waits go in parallel on one path; other activities replace the target', () => {
    let d = connect(base(), 'checkout', 'next', 'purchase');
    d = connect(d, 'checkout', 'next', 'wait');
    assert.deepEqual(d.nodes[0]!.kind === 'event' && d.nodes[0]!.next, ['purchase', 'wait']);
    d = connect(d, 'checkout', 'next', 'mail');
    assert.deepEqual(d.nodes[0]!.kind === 'event' && d.nodes[0]!.next, ['mail']);
  });

  test('the timeout path is its own handle and edge', () => {
    const d = connect(base(), 'purchase', 'timeout', 'mail');
    assert.deepEqual(
      handlesOf(d.nodes[1]!).map((h) => h.id),
      ['next', 'timeout'],
    );
    assert.deepEqual(
      edgesOf(d).map((e) => e.id),
      ['purchase:timeout->mail'],
    );
    assert.deepEqual(edgesOf(disconnect(d, 'purchase', 'timeout', 'mail')), []);
  });

  test('removing an activity removes the paths to it; the start follows the root event', () => {
    let d = connect(connect(base(), 'checkout', 'next', 'purchase'), 'purchase', 'next', 'mail');
    d = removeNodes(d, new Set(['checkout']));
    assert.equal(d.start, 'purchase');
    d = removeNodes(d, new Set(['mail']));
    assert.deepEqual(edgesOf(d), []);
  });

  test('a second drop of the same event is numbered as in the product', () => {
    const d = base();
    const again = makeNode(
      d,
      { kind: 'event', event: 'LumaPurchaseEvent_Email' },
      { x: 1.4, y: 2.6 },
    );
    assert.equal(again.label, 'LumaPurchaseEvent_Email1');
    assert.deepEqual(again.position, { x: 1, y: 3 });
    const d2 = addNode(d, again);
    assert.equal(makeNode(d2, { kind: 'email' }, { x: 0, y: 0 }).id, 'email');
    assert.equal(journeyDefinitionSchema.safeParse(d2).success, true);
  });

  test('a wait is dropped with the duration its panel shows', () => {
    const wait = makeNode(base(), { kind: 'wait' }, { x: 0, y: 0 });
    assert.equal(wait.kind === 'wait' && wait.duration, 'PT1H');
    assert.deepEqual(parseDuration(wait.kind === 'wait' ? wait.duration : undefined), {
      amount: 1,
      unit: 'H',
    });
  });

  test('undo and redo walk the history; a drag commits its starting point once', () => {
    const a = base();
    const b = connect(a, 'checkout', 'next', 'purchase');
    const c = connect(b, 'purchase', 'next', 'mail');
    let h = historyReducer({ past: [], present: a, future: [] }, { kind: 'set', value: b });
    h = historyReducer(h, { kind: 'set', value: c });
    h = historyReducer(h, { kind: 'undo' });
    assert.equal(h.present, b);
    h = historyReducer(h, { kind: 'redo' });
    assert.equal(h.present, c);
    const moving = historyReducer(h, { kind: 'set', value: a, merge: true });
    const dropped = historyReducer(moving, { kind: 'set', value: b, base: c });
    assert.equal(dropped.past[dropped.past.length - 1], c);
    assert.equal(historyReducer(dropped, { kind: 'undo' }).present, c);
  });
});
