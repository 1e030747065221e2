// The journey editor's pure parts: durations in words, label break points, the condition form's
// expression builder (rows → text → rows), auto-layout fitting the lab, the view fitted to the
// journey and kept on a new activity, what differs between two drafts (save conflicts), and the
// journeys list's search and sort.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JourneyDefinition } from '../../src/model/journey.ts';
import { journeyDefinitionSchema } from '../../src/model/journey.ts';
import { compileExpression } from '../../src/expr/index.ts';
import { durationText } from '../../ui/src/canvas/duration-text.ts';
import { breakPieces } from '../../ui/src/canvas/label-breaks.tsx';
import { expressionToForm, formToExpression } from '../../ui/src/canvas/condition-builder.ts';
import type { ConditionForm } from '../../ui/src/canvas/condition-builder.ts';
import {
  autoLayout,
  directionOf,
  fitZoom,
  layoutIn,
  MIN_READABLE_ZOOM,
} from '../../ui/src/canvas/layout.ts';
import { diffDefinitions } from '../../ui/src/canvas/definition-diff.ts';
import {
  fitFor,
  inView,
  offSide,
  panToShow,
  viewAfterAdd,
  viewOfStart,
} from '../../ui/src/canvas/viewport.ts';
import type { Box, Viewport } from '../../ui/src/canvas/viewport.ts';
import { modifiedText, searchAndSort } from '../../ui/src/journeys/journey-rows.ts';
import type { JourneyRow } from '../../ui/src/journeys/journey-rows.ts';

describe('durations read as words', () => {
  test('ISO-8601 durations', () => {
    assert.equal(durationText('PT1M'), '1 minute');
    assert.equal(durationText('PT2H'), '2 hours');
    assert.equal(durationText('P3D'), '3 days');
    assert.equal(durationText('PT1H30M'), '1 hour 30 minutes');
    assert.equal(durationText('P1DT12H'), '1 day 12 hours');
    assert.equal(durationText('PT45S'), '45 seconds');
    assert.equal(durationText('P2W'), '2 weeks');
  });
  test('seconds as a number, and text that is no duration', () => {
    assert.equal(durationText(90), '1 minute 30 seconds');
    assert.equal(durationText(3600), '1 hour');
    assert.equal(durationText('soon'), 'soon');
    assert.equal(durationText(undefined), '');
  });
});

describe('activity labels break between words', () => {
  test('long identifiers break at "_" and at camelCase humps, never inside a word', () => {
    assert.deepEqual(breakPieces('LumaCheckoutEvent_Email'), [
      'Luma',
      'Checkout',
      'Event_',
      'Email',
    ]);
    assert.deepEqual(breakPieces('LumaPurchaseEvent_Email1'), [
      'Luma',
      'Purchase',
      'Event_',
      'Email1',
    ]);
    assert.deepEqual(breakPieces('Order Confirmation Email'), ['Order Confirmation Email']);
    assert.equal(breakPieces('LoyaltyService').join(''), 'LoyaltyService');
  });
});

describe('the condition form writes and reads expressions', () => {
  const scope = {
    events: {
      E: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          total: { type: 'number' },
          tags: { type: 'string' },
        },
      },
    },
    audiences: ['Luma - Mobile App Users', 'VIP'],
    profile: {
      type: 'object',
      properties: { loyalty: { type: 'object', properties: { tier: { type: 'string' } } } },
    },
  };
  const cases: Array<[string, ConditionForm, string]> = [
    [
      'audience membership',
      {
        combine: 'all',
        rows: [{ kind: 'audience', audience: 'Luma - Mobile App Users', member: true }],
      },
      'inAudience("Luma - Mobile App Users")',
    ],
    [
      'all of: equals and greater than',
      {
        combine: 'all',
        rows: [
          { kind: 'field', field: '@event{E.name}', op: 'equals', value: 'Watch' },
          { kind: 'field', field: '@event{E.total}', op: 'greater', value: 50 },
        ],
      },
      '@event{E.name} == "Watch" and @event{E.total} > 50',
    ],
    [
      'any of: contains, not in an audience',
      {
        combine: 'any',
        rows: [
          { kind: 'field', field: '@event{E.name}', op: 'contains', value: 'and "quoted"' },
          { kind: 'audience', audience: 'VIP', member: false },
        ],
      },
      'contain(@event{E.name}, "and \\"quoted\\"") or not inAudience("VIP")',
    ],
    [
      'in list, exists, is empty',
      {
        combine: 'all',
        rows: [
          {
            kind: 'field',
            field: '#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier}',
            op: 'inList',
            value: ['gold', 'silver'],
          },
          { kind: 'field', field: '@event{E.total}', op: 'exists', value: null },
          { kind: 'field', field: '@event{E.tags}', op: 'isEmpty', value: null },
        ],
      },
      'in(#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier}, ["gold", "silver"]) and @event{E.total} is not null and isEmpty(@event{E.tags})',
    ],
    [
      'starts with, not equals, at most',
      {
        combine: 'all',
        rows: [
          { kind: 'field', field: '@event{E.name}', op: 'startsWith', value: 'Di' },
          { kind: 'field', field: '@event{E.name}', op: 'notEquals', value: 'x' },
          { kind: 'field', field: '@event{E.total}', op: 'lessOrEqual', value: 9.5 },
        ],
      },
      'startWith(@event{E.name}, "Di") and @event{E.name} != "x" and @event{E.total} <= 9.5',
    ],
  ];
  for (const [name, form, text] of cases) {
    test(`${name}: rows → "${text}" → the same rows, and the expression compiles`, () => {
      assert.equal(formToExpression(form), text);
      assert.deepEqual(expressionToForm(text), form);
      const r = compileExpression(text, scope as never, { expect: 'boolean' });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
    });
  }
  test('an empty expression is a form without rows', () => {
    assert.deepEqual(expressionToForm('  '), { combine: 'all', rows: [] });
  });
  test('expressions the form cannot represent read back as null (the expression editor only)', () => {
    for (const e of [
      '@event{E.a} == 1 and @event{E.b} == 2 or @event{E.c} == 3',
      '(@event{E.a} == 1)',
      'toInteger(@event{E.a}) > 3',
      '@event{E.total} + 1 > 3',
      'inAudience("A") and',
    ]) {
      assert.equal(expressionToForm(e), null, e);
    }
  });
});

const lab = (): JourneyDefinition =>
  journeyDefinitionSchema.parse({
    name: 'Lab',
    start: 'checkout',
    nodes: [
      { id: 'checkout', kind: 'event', event: 'LumaCheckoutEvent_Email', next: ['purchase'] },
      {
        id: 'purchase',
        kind: 'event',
        event: 'LumaPurchaseEvent_Email',
        next: ['loyalty'],
        timeout: { duration: 'PT1M', next: ['condition'] },
      },
      {
        id: 'loyalty',
        kind: 'action',
        action: 'LoyaltyService',
        parameters: {},
        next: ['confirm'],
      },
      {
        id: 'confirm',
        kind: 'email',
        configuration: 'EmailMarketing',
        content: { channel: 'email' },
        next: [],
      },
      {
        id: 'condition',
        kind: 'condition',
        mode: 'expression',
        paths: [{ label: 'Push', expression: 'inAudience("A")', next: ['push'] }],
        otherwise: { label: 'Others', next: ['email'] },
      },
      {
        id: 'push',
        kind: 'push',
        configuration: 'DXDemoApp',
        content: { channel: 'push' },
        next: ['again'],
      },
      {
        id: 'email',
        kind: 'email',
        configuration: 'EmailMarketing',
        content: { channel: 'email' },
        next: ['again'],
      },
      { id: 'again', kind: 'event', event: 'LumaPurchaseEvent_Email', next: ['loyalty'] },
    ],
  });

describe('auto-layout fits the lab at a readable zoom', () => {
  for (const view of [
    { name: '1440 px', width: 720, height: 690 },
    { name: '1024 px', width: 640, height: 620 },
  ]) {
    test(`on a ${view.name} window's canvas (${view.width}×${view.height})`, () => {
      const laid = autoLayout(lab(), view);
      const dir = directionOf(laid);
      const size = layoutIn(lab(), dir);
      assert.ok(
        fitZoom(size, view) >= MIN_READABLE_ZOOM - 0.05,
        `zoom ${fitZoom(size, view).toFixed(2)} in ${dir}`,
      );
      // No two activities overlap.
      const ps = laid.nodes.map((n) => n.position!);
      for (let i = 0; i < ps.length; i++)
        for (let j = i + 1; j < ps.length; j++) {
          assert.ok(
            Math.abs(ps[i]!.x - ps[j]!.x) >= 184 || Math.abs(ps[i]!.y - ps[j]!.y) >= 68,
            `${laid.nodes[i]!.id} overlaps ${laid.nodes[j]!.id}`,
          );
        }
    });
  }
  test('a journey laid out in a row reads left to right', () => {
    assert.equal(directionOf(layoutIn(lab(), 'LR').def), 'LR');
    assert.equal(directionOf(layoutIn(lab(), 'TB').def), 'TB');
  });
});

describe('the view fits the journey and follows a new activity', () => {
  // A row of activities 240 apart, as the lab's are, on a canvas of 560×600 (1024 px with the
  // palette and the side panel open).
  const canvas = { width: 560, height: 600 };
  const at = (x: number, y = 100): Box => ({ x, y, width: 184, height: 68 });
  const row = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`a${i}`, at(i * 240)]));
  const onScreen = (b: Box, v: Viewport) => ({ left: b.x * v.zoom + v.x, top: b.y * v.zoom + v.y });

  test('a journey that fits is centred at a zoom of at most 1', () => {
    const f = fitFor([at(0), at(240)], canvas);
    assert.ok(f.whole);
    assert.equal(f.viewport.zoom, 1);
    assert.equal(f.viewport.x, (560 - 424) / 2);
    assert.equal(f.viewport.y, (600 - 68) / 2 - 100);
  });

  test('a journey too wide to fit readably shows its start at the readable zoom', () => {
    const f = fitFor([...row(5).values()], canvas);
    assert.equal(f.whole, false);
    assert.equal(f.viewport.zoom, MIN_READABLE_ZOOM);
    assert.equal(onScreen(at(0), f.viewport).left, 30);
  });

  test('in view, and panned just enough to show a box', () => {
    const v = { x: 0, y: 0, zoom: 1 };
    assert.ok(inView(at(0), v, canvas));
    assert.ok(!inView(at(480), v, canvas));
    const p = panToShow(at(480), v, canvas);
    assert.deepEqual(p, { x: 560 - 40 - 664, y: 0, zoom: 1 });
    assert.ok(inView(at(480), p, canvas));
    assert.equal(panToShow(at(100), v, canvas), v, 'nothing to pan (40 px of margin)');
  });

  test('after an add: left alone with both in sight, the journey fitted while it fits', () => {
    const now = { x: 20, y: 20, zoom: 1 };
    assert.equal(viewAfterAdd(row(2), 'a0', ['a1'], now, canvas), null);
    const v = viewAfterAdd(row(3), 'a0', ['a2'], now, canvas)!;
    assert.deepEqual(v, fitFor([...row(3).values()], canvas).viewport);
    assert.ok(v.zoom >= MIN_READABLE_ZOOM);
  });

  test('too wide for the start and the new one: the new one with the path to it, at the readable zoom', () => {
    // a0 … a4 in a row: 1144 wide, 800 at the readable zoom, more than the canvas's 560.
    const now = { x: 30, y: 200, zoom: 0.9 };
    const v = viewAfterAdd(row(5), 'a0', ['a4'], now, canvas)!;
    assert.equal(v.zoom, MIN_READABLE_ZOOM);
    assert.ok(inView(at(960), v, canvas), 'the new activity is in view');
    assert.equal(onScreen(at(960), v).left + 184 * v.zoom, 560 - 30, 'at the right, 30 px in');
    assert.ok(inView(at(720), v, canvas) && inView(at(480), v, canvas), 'the path leading to it');
    assert.equal(offSide(at(0), v, canvas), 'left');
    // The start's row: the view is laid out from the start and only panned sideways.
    assert.equal(onScreen(at(0), v).top, (600 - 68 * v.zoom) / 2);
    // A person zoomed out below the readable zoom keeps that zoom.
    assert.equal(viewAfterAdd(row(5), 'a0', ['a4'], { ...now, zoom: 0.5 }, canvas)!.zoom, 0.5);
  });

  test('a new activity below the start, in its column: the view is left-aligned on the start', () => {
    const boxes = new Map([
      ['a0', at(0, 0)],
      ['a1', at(240, 0)],
      ['a2', at(480, 0)],
      ['a3', at(0, 1100)],
    ]);
    const v = viewAfterAdd(boxes, 'a0', ['a3'], { x: 0, y: 0, zoom: 1 }, canvas)!;
    assert.equal(v.zoom, MIN_READABLE_ZOOM);
    assert.equal(onScreen(at(0), v).left, 30, "on the start's column");
    assert.ok(inView(at(0, 1100), v, canvas), 'the new activity is in view');
    assert.equal(offSide(at(0, 0), v, canvas), 'up');
  });

  test('the journey from its start: as Fit shows it, the start in view', () => {
    const v = viewOfStart(row(5), 'a0', canvas);
    assert.deepEqual(v, fitFor([...row(5).values()], canvas).viewport);
    assert.equal(offSide(at(0), v, canvas), null);
    // A branch placed left of the start: Fit shows the branch, the view pans to the start.
    const left = new Map([...row(5), ['b', at(-600)]]);
    const w = viewOfStart(left, 'a0', canvas);
    assert.ok(inView(at(0), w, canvas), 'the start is in view');
  });
});

describe('what differs between two drafts', () => {
  test('changed settings, added and removed activities; positions are not differences', () => {
    const mine = lab();
    const theirs: JourneyDefinition = {
      ...lab(),
      name: 'Lab (theirs)',
      nodes: lab()
        .nodes.filter((n) => n.id !== 'push')
        .map((n) =>
          n.id === 'purchase' && n.kind === 'event'
            ? { ...n, timeout: { duration: 'PT2M', next: ['condition'] }, position: { x: 5, y: 5 } }
            : n,
        ),
    };
    const d = diffDefinitions(mine, theirs);
    assert.deepEqual(d.map((x) => `${x.where}|${x.mine}|${x.theirs}`).sort(), [
      'Activity purchase › timeout.duration|PT1M|PT2M',
      'Activity push|added|not there',
      'Journey › name|Lab|Lab (theirs)',
    ]);
  });
});

describe('the journeys list searches and sorts', () => {
  const row = (
    id: string,
    name: string,
    status: string,
    version: number,
    updatedAt: string,
    entered: number | null,
  ): JourneyRow => ({
    id,
    name,
    status,
    version,
    liveVersion: null,
    updatedAt,
    counts: entered === null ? null : { entered, exited: 0, errors: 0, timeouts: 0 },
  });
  const rows = [
    row('a', 'Purchase Journey', 'live', 1, '2026-12-01T10:00:00Z', 12),
    row('b', 'Birthday', 'draft', 2, '2026-12-02T10:00:00Z', null),
    row('c', 'Abandoned cart', 'draft', 1, '2026-11-30T10:00:00Z', 3),
  ];
  test('by name, last modified and entries, both ways; search by name; status filter', () => {
    assert.deepEqual(
      searchAndSort(rows, '', '', { key: 'name', dir: 'asc' }).map((r) => r.id),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      searchAndSort(rows, '', '', { key: 'updated', dir: 'desc' }).map((r) => r.id),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(
      searchAndSort(rows, '', '', { key: 'entered', dir: 'desc' }).map((r) => r.id),
      ['a', 'c', 'b'],
    );
    assert.deepEqual(
      searchAndSort(rows, 'journ', '', { key: 'name', dir: 'asc' }).map((r) => r.id),
      ['a'],
    );
    assert.deepEqual(
      searchAndSort(rows, '', 'draft', { key: 'version', dir: 'desc' }).map((r) => r.id),
      ['b', 'c'],
    );
  });
  test('last modified in words', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    assert.equal(modifiedText('2026-12-02T09:57:00Z', now), '3 minutes ago');
    assert.equal(modifiedText('2026-12-02T08:00:00Z', now), '2 hours ago');
    assert.equal(modifiedText(undefined, now), '–');
  });
});

describe('problems shown on the activity they belong to', async () => {
  const { issuesToNodes } = await import('../../ui/src/canvas/use-journey.ts');
  test('a draft saved with a problem: the activity lists it in its own words, the journey keeps the rest', () => {
    const def = lab();
    const r = issuesToNodes(def, [
      {
        node: 'confirm',
        path: 'nodes.3.configuration',
        message: 'email activity "Order Confirmation" (id confirm): choose an email configuration',
      },
      { node: null as unknown as undefined, path: 'start', message: 'the journey has no start' },
    ]);
    assert.deepEqual(r.byNode.get('confirm'), ['Choose an email configuration']);
    assert.deepEqual(r.general, ['start: the journey has no start']);
  });
});
