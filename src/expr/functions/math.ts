// Math: random() from the seeded source, round() with ties toward positive infinity.
import { T } from '../types.ts';
import { toInt } from './helpers.ts';
import type { FunctionSpec } from './signature.ts';

export const mathFunctions: readonly FunctionSpec[] = [
  {
    name: 'random',
    category: 'math',
    description: "A random decimal in [0, 1), from the journey's seeded source.",
    impure: true,
    overloads: [{ params: [], result: T.decimal, impl: (_a, rt) => rt.ctx.random() }],
  },
  {
    name: 'round',
    category: 'math',
    description: 'The closest integer, ties rounding toward positive infinity.',
    overloads: [
      { params: [{ name: 'value', type: 'integer' }], result: T.integer, impl: ([v]) => v ?? null },
      {
        params: [{ name: 'value', type: 'decimal' }],
        result: T.integer,
        impl: ([v]) => toInt(Math.floor(Number(v) + 0.5)),
      },
    ],
  },
];
