// Lint rules, type-aware (each file is checked with the types of the tsconfig.json nearest to it:
// the server's, ui/tsconfig.json or test/ui/tsconfig.json), and the rules that guard the
// architecture: the pure core imports no I/O and reads no clock or randomness; the console imports
// the server's code only through the shared module (@waymark/shared).
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const pureCore = ['src/isomorphic/**', 'src/journey/**', 'src/expr/**', 'src/content/**', 'src/audience/**', 'src/rules/**', 'src/shared/**', 'src/access/**'];
const ioModules = ['fs', 'net', 'http', 'http2', 'https', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads', 'cluster'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'ui/dist/**', 'dist/**', '.waymark/**', 'bench/results/**', 'bench/tmp/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx', 'bench/**/*.ts', 'ui/src/**/*.ts', 'ui/src/**/*.tsx'],
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
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      // A switch over a `readonly kind` union without a `default:` handles every kind, so a new
      // kind fails the lint where it is not handled yet. A `default:` says the rest are alike on
      // purpose (token kinds, typeof tags).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false, allowDefaultCaseForExhaustiveSwitch: true }],
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
    files: ['ui/src/**/*.ts', 'ui/src/**/*.tsx', 'test/ui/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The console is its own program: it reaches the server's modules through @waymark/shared (an
    // alias for src/shared/isomorphic, pure modules that run in a browser), never by a relative
    // path out of ui/.
    files: ['ui/src/**/*.ts', 'ui/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+(src|test|bench|scripts|bin)(/|$)', message: 'The console imports server code only through @waymark/shared/* (src/shared/isomorphic).' }],
      }],
    },
  },
  {
    files: pureCore,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/store/**', '**/bus/**', '**/runtime/**', '**/channels/**', '**/api/**', '**/cli/**'], message: 'The pure core may not import adapters or wiring.' },
          { group: [...ioModules.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]), 'better-sqlite3', 'pg', 'nats', 'fastify', 'nodemailer', 'sharp'], message: 'The pure core may not do I/O: put it behind a port.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Read the injected clock (unsafeNow is the named escape).' },
        { object: 'Math', property: 'random', message: 'Take a seeded random value from the input.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock: pass now in.' }],
    },
  },
);
