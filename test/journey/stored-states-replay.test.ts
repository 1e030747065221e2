// Replay of stored instance states (Temporal's replay tests are the model): golden states of every
// format, recorded from real runs of the Luma Purchase Journey (test/fixtures/instance-states,
// recorded by record.ts there), each read as the store reads it, stepped with the input the engine
// fed it, and compared with the outcome recorded then. A change to the step function or to the state
// format that would move a stored instance differently, or not read it at all, fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  compileJourney,
  step,
  type JourneyCatalog,
  type StepEnv,
  type StepInput,
} from '../../src/journey/index.ts';
import { upgradeInstanceState } from '../../src/journey/instance-upgrade.ts';
import { INSTANCE_STATE_VERSION } from '../../src/journey/instance.ts';
import type { JourneyDefinition } from '../../src/model/journey.ts';
import { decodeInstanceState } from '../../src/store/records/index.ts';

const root = new URL('../fixtures/instance-states/', import.meta.url);
const read = <T>(url: URL): T => JSON.parse(readFileSync(url, 'utf8')) as T;

interface Case {
  readonly description: string;
  readonly state: unknown;
  readonly input: StepInput;
  readonly env: StepEnv;
  readonly expected: {
    readonly applied: boolean;
    readonly instance: unknown;
    readonly effects: unknown;
    readonly counters: unknown;
  };
}

const formats = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^v\d+$/.test(d.name))
  .map((d) => Number(d.name.slice(1)))
  .sort();

test('there are golden states of every format, up to the current one', () => {
  assert.deepEqual(
    formats,
    Array.from({ length: INSTANCE_STATE_VERSION }, (_, i) => i + 1),
  );
});

for (const format of formats) {
  describe(`stored instance states of format ${format}`, () => {
    const dir = new URL(`v${format}/`, root);
    const j = read<{
      journeyId: string;
      version: number;
      definition: JourneyDefinition;
      catalog: JourneyCatalog;
    }>(new URL('journey.json', dir));
    const compiled = compileJourney(j.journeyId, j.version, j.definition, j.catalog);
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'journey.json')
      .sort();

    test('the journey they belong to still compiles, and there are cases at the entry, on an event timeout, on an action, after it and finished', () => {
      assert.ok(compiled.ok, JSON.stringify(compiled.ok ? null : compiled.issues));
      assert.ok(cases.length >= 5, cases.join(', '));
    });

    for (const file of cases) {
      const c = read<Case>(new URL(file, dir));
      test(`${file.replace(/\.json$/, '')}: ${c.description}`, () => {
        assert.ok(compiled.ok);
        const upgraded = upgradeInstanceState(c.state);
        assert.ok(upgraded.ok, 'the stored state reads');
        assert.equal(upgraded.from, format, `stored in format ${format}`);
        const state = decodeInstanceState(c.state);
        assert.equal(state.v, INSTANCE_STATE_VERSION, 'read in the current format');
        const r = step(compiled.journey, state, c.input, c.env);
        assert.equal(r.applied, c.expected.applied);
        assert.deepEqual(
          JSON.parse(JSON.stringify(r.effects)),
          c.expected.effects,
          'the same effects (timers, calls, messages), with the same ids',
        );
        assert.deepEqual(JSON.parse(JSON.stringify(r.counters)), c.expected.counters);
        // The outcome as recorded, read the way the store reads it after the step wrote it.
        assert.deepEqual(
          JSON.parse(JSON.stringify(r.instance)),
          JSON.parse(JSON.stringify(decodeInstanceState(c.expected.instance))),
        );
      });
    }
  });
}

describe('upgradeInstanceState', () => {
  const v1 = read<Case>(new URL('v1/01-entered-event-within-timeout.json', root)).state as Record<
    string,
    unknown
  >;

  test('a state stored without a format is format 1 and reads as the current format, its fields unchanged', () => {
    const r = upgradeInstanceState(v1);
    assert.ok(r.ok);
    assert.equal(r.from, 1);
    assert.deepEqual(r.state, { ...v1, v: INSTANCE_STATE_VERSION });
  });

  test('a format from a later Waymark, or a state missing what every format has, is refused with where, what and what came', () => {
    assert.deepEqual(upgradeInstanceState({ ...v1, v: 99 }), {
      ok: false,
      path: 'v',
      message: 'an instance state format this version of Waymark does not know',
      expected: `1 to ${INSTANCE_STATE_VERSION}`,
      received: '99',
    });
    const { profileId: _gone, ...noProfile } = v1;
    const r = upgradeInstanceState(noProfile);
    assert.deepEqual(r.ok ? null : [r.path, r.expected, r.received], [
      'profileId',
      'a string',
      'nothing',
    ]);
    assert.throws(
      () => decodeInstanceState({ ...v1, status: 'paused' }),
      (e: Error & { issues?: Array<{ path: string }> }) =>
        e.issues?.[0]?.path === `instances["${String(v1['id'])}"].state.status`,
    );
  });
});
