// Lint rules that guard the architecture: the pure core imports no I/O and reads no clock or randomness.
import tseslint from 'typescript-eslint';

const pureCore = ['src/journey/**', 'src/expr/**', 'src/content/**', 'src/audience/**', 'src/rules/**', 'src/shared/**', 'src/access/**'];
const ioModules = ['fs', 'net', 'http', 'http2', 'https', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads', 'cluster'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'ui/**', 'dist/**', '.waymark/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests read untyped JSON answers; `any` stays out of src.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
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
