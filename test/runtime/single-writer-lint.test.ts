// The single-writer rule is enforced by the architecture lint (eslint.config.js), not by
// convention: a route that commits to the store, marks an outbox item or queues on a serial queue
// fails `npm test`; the writer's own folder may.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The snippets are linted as if they were at a path in src/ that does not exist, so without the
// type-aware part of the config (its project service only knows files on disk); the architecture
// rules under test need no types.
const eslint = new ESLint({
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
        'import-x/no-cycle': 'off',
      },
    },
  ],
});

/** What the architecture lint says of a snippet placed at `filePath`. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// What src/api/routes/sms-webhooks.ts did before the writer: commit a message straight to the store.
const commitsStraight = `
export async function onReceipt(app: { reads: { commit(b: object): Promise<void> }; engine: { serial: { run(t: () => Promise<void>): Promise<void> } } }): Promise<void> {
  await app.engine.serial.run(() => app.reads.commit({ messages: [] }));
}
`;

test('a route that commits straight to the store, on the serial queue, is refused', async () => {
  const said = await lint('src/api/routes/fixture.ts', commitsStraight);
  assert.ok(
    said.some((m) => m.includes('Routes do not commit')),
    said.join('\n'),
  );
  assert.ok(
    said.some((m) => m.includes("The writer's queue is its own")),
    said.join('\n'),
  );
});

test('a route may not import the Store port nor the writer', async () => {
  const said = await lint(
    'src/api/routes/fixture.ts',
    `import type { Store } from '../../store/ports.ts';\nimport type { Writer } from '../../runtime/unit-of-work/index.ts';\nexport type X = [Store, Writer];\n`,
  );
  assert.ok(
    said.some((m) => m.includes("the Store port with its commit is the writer's")),
    said.join('\n'),
  );
  assert.ok(
    said.some((m) => m.includes('Routes do not write')),
    said.join('\n'),
  );
});

test('a service outside the writer may not commit a hand-written batch nor mark outbox items', async () => {
  const said = await lint(
    'src/runtime/fixture.ts',
    `
export async function f(store: { commit(b: object): Promise<void>; markOutboxSent(id: string, at: number, o: unknown): Promise<void> }): Promise<void> {
  await store.commit({ messages: [] });
  await store.markOutboxSent('x', 1, {});
}
`,
  );
  assert.ok(
    said.some((m) => m.includes('Only the writer commits')),
    said.join('\n'),
  );
  assert.ok(
    said.some((m) => m.includes('Only the writer marks outbox items')),
    said.join('\n'),
  );
});

test("the writer's folder commits, and a service importing its internals is told to use the index", async () => {
  assert.deepEqual(await lint('src/runtime/unit-of-work/fixture.ts', commitsStraight), []);
  const said = await lint(
    'src/runtime/fixture.ts',
    `import { sealedBatch } from './unit-of-work/unit-of-work.ts';\nexport const s = sealedBatch;\n`,
  );
  assert.ok(
    said.some((m) => m.includes('through its index.ts')),
    said.join('\n'),
  );
});

test("the engine's services do not import each other; the façade composes them", async () => {
  const said = await lint(
    'src/runtime/engine/timers.ts',
    `import { OutboxService } from './outbox.ts';\nexport const o = OutboxService;\n`,
  );
  assert.ok(
    said.some((m) => m.includes('Engine services do not import each other')),
    said.join('\n'),
  );
  assert.deepEqual(
    await lint(
      'src/runtime/engine/engine.ts',
      `import { OutboxService } from './outbox.ts';\nexport const o = OutboxService;\n`,
    ),
    [],
  );
});
