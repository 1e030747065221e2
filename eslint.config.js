// Lint rules, type-aware (each file is checked with the types of the tsconfig.json nearest to it:
// the server's, ui/tsconfig.json or test/ui/tsconfig.json), and the rules that guard the
// architecture: the pure core imports no I/O and reads no clock or randomness; the console imports
// the server's code only through the shared module (@waymark/shared).
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const pureCore = [
  'src/isomorphic/**',
  'src/journey/**',
  'src/campaign/**',
  'src/expr/**',
  'src/content/**',
  'src/audience/**',
  'src/rules/**',
  'src/offers/**',
  'src/segment/**',
  'src/experiment/**',
  'src/campaign/**',
  'src/shared/**',
  'src/access/**',
];
// The single-writer rule (src/runtime/unit-of-work): runtime state is committed only by the
// Writer, in a unit of work, on its one queue. Group commit, ordering and crash-resend hold only if
// nothing else commits, marks outbox items or queues on the writer behind its back, so outside the
// writer's folder (and the store adapters that implement the port) nothing may: hand-written
// batches, outbox marks and reaching for a `serial` queue are errors. Routes go further: they may
// not commit at all, nor import the writer or the store port's `Store` (they get `app.reads`, a
// StoreReads without the runtime's writes, and services that write through the writer).
const writerOnly = [
  {
    selector: "CallExpression[callee.property.name='commit'][arguments.0.type='ObjectExpression']",
    message:
      'Only the writer commits: add to a unit of work (src/runtime/unit-of-work) instead of committing a batch by hand.',
  },
  {
    selector: 'CallExpression[callee.property.name=/^markOutbox/]',
    message: 'Only the writer marks outbox items (writer.markAttempting / markSent).',
  },
  {
    selector: "MemberExpression[property.name='serial']",
    message: "The writer's queue is its own: use writer.run / grouped / exclusive.",
  },
];
const writerInternals = {
  group: ['**/unit-of-work/unit-of-work.ts', '**/unit-of-work/writer.ts'],
  message:
    'Import the unit-of-work module through its index.ts (the batch and the commit path stay inside it).',
};
const routesOnly = [
  ...writerOnly,
  {
    selector: "CallExpression[callee.property.name='commit']",
    message: 'Routes do not commit: call a service, which writes through the writer.',
  },
];
const writerFolder = ['src/runtime/unit-of-work/**', 'src/store/**'];
const ioModules = [
  'fs',
  'net',
  'http',
  'http2',
  'https',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'ui/dist/**',
      'dist/**',
      'sdk/web/dist/**',
      '.waymark/**',
      'bench/results/**',
      'bench/tmp/**',
    ],
  },
  {
    files: [
      'src/**/*.ts',
      'test/**/*.ts',
      'test/**/*.tsx',
      'bench/**/*.ts',
      'ui/src/**/*.ts',
      'ui/src/**/*.tsx',
      'sdk/web/src/**/*.ts',
    ],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // A promise nobody awaits loses its error: await it, return it, or say `void` on purpose.
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'test',
                'it',
                'describe',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
      // A switch over a `readonly kind` union without a `default:` handles every kind, so a new
      // kind fails the lint where it is not handled yet. A `default:` says the rest are alike on
      // purpose (token kinds, typeof tags).
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        {
          considerDefaultExhaustiveForUnions: true,
          requireDefaultForNonUnion: false,
          allowDefaultCaseForExhaustiveSwitch: true,
        },
      ],
    },
  },
  {
    // Layers do not import each other in a circle (the server's code; the console and the tests
    // sit on top of it and nothing imports them).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver()],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Tests read untyped JSON answers; `any` stays out of src.
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [...pureCore, ...writerFolder, 'src/api/**'],
    rules: {
      'no-restricted-syntax': ['error', ...writerOnly],
      'no-restricted-imports': ['error', { patterns: [writerInternals] }],
    },
  },
  {
    // The engine's services (ingest, timers, outbox, loop, ids) import the unit-of-work module and
    // never each other, so that none of them can re-enter another behind the writer: only the
    // façade (engine/engine.ts) composes them.
    files: ['src/runtime/engine/*.ts'],
    ignores: ['src/runtime/engine/engine.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            writerInternals,
            {
              group: ['./*'],
              message:
                'Engine services do not import each other: share through src/runtime/unit-of-work, compose in engine.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...routesOnly],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            writerInternals,
            {
              group: ['**/store/ports.ts', '**/store/ports/batch.ts'],
              importNames: ['Store', 'CommitBatch', 'BatchRepository'],
              message:
                "Routes read through app.reads (StoreReads); the Store port with its commit is the writer's.",
            },
            {
              group: ['**/unit-of-work/index.ts'],
              importNames: ['Writer', 'UnitOfWork', 'WriterTurn'],
              message: 'Routes do not write: call a service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['ui/src/**/*.ts', 'ui/src/**/*.tsx', 'test/ui/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The console is its own program: it reaches the server's modules through @waymark/shared (an
    // alias for src/isomorphic, pure modules that run in a browser), never by a relative
    // path out of ui/.
    files: ['ui/src/**/*.ts', 'ui/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src|test|bench|scripts|bin)(/|$)',
              message:
                'The console imports server code only through @waymark/shared/* (src/isomorphic).',
            },
          ],
        },
      ],
    },
  },
  {
    files: pureCore,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/store/**',
                '**/bus/**',
                '**/runtime/**',
                '**/channels/**',
                '**/api/**',
                '**/cli/**',
              ],
              message: 'The pure core may not import adapters or wiring.',
            },
            {
              group: [
                ...ioModules.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]),
                'better-sqlite3',
                'pg',
                'nats',
                'fastify',
                'nodemailer',
                'sharp',
              ],
              message: 'The pure core may not do I/O: put it behind a port.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Read the injected clock (unsafeNow is the named escape).',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Take a seeded random value from the input.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: pass now in.',
        },
      ],
    },
  },
);
