// Expression evaluation throughput: the lab's condition and its two custom-action parameters,
// compiled once and evaluated many times (target: 1,000,000 evaluations per second on one core).
// Usage: import { benchExpressions } from '../bench/expr.ts'; await benchExpressions({ iterations: 1_000_000 });
import { performance } from 'node:perf_hooks';
import { compileExpression } from '../src/expr/index.ts';
import type { EvaluationContext, SchemaScope } from '../src/expr/index.ts';

const scope: SchemaScope = {
  events: {
    LumaPurchaseEvent_Email: {
      type: 'object',
      properties: {
        _aeppartner1: {
          type: 'object',
          properties: {
            identification: {
              type: 'object',
              properties: { core: { type: 'object', properties: { email: { type: 'string' } } } },
            },
          },
        },
        productListItems: {
          type: 'array',
          items: {
            type: 'object',
            properties: { SKU: { type: 'string' }, priceTotal: { type: 'number' } },
          },
        },
      },
    },
  },
  actions: {},
  audiences: ['Luma - Mobile App Users'],
};

const context: EvaluationContext = {
  events: {
    LumaPurchaseEvent_Email: {
      _aeppartner1: { identification: { core: { email: 'delaland+p1@adobetest.com' } } },
      productListItems: [
        { SKU: 'MH01-XS-Black', priceTotal: 52.0 },
        { SKU: 'WJ12-S-Blue', priceTotal: 60.5 },
      ],
    },
  },
  profile: {},
  actions: {},
  audiences: { 'Luma - Mobile App Users': 'realized' },
  now: 1_715_680_800_000,
  random: () => 0.5,
};

const CASES: Array<{ name: string; source: string }> = [
  { name: 'expr.eval.condition.inAudience', source: 'inAudience("Luma - Mobile App Users")' },
  {
    name: 'expr.eval.param.email',
    source: '@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.email}',
  },
  {
    name: 'expr.eval.param.priceTotal',
    source: '@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}',
  },
];

export async function benchExpressions(opts: {
  iterations: number;
}): Promise<Array<{ name: string; value: number; unit: string; baseline?: string }>> {
  const iterations = Math.max(1, Math.floor(opts.iterations));
  const results: Array<{ name: string; value: number; unit: string; baseline?: string }> = [];
  for (const c of CASES) {
    const compiled = compileExpression(c.source, scope);
    if (!compiled.ok)
      throw new Error(`${c.name}: ${compiled.diagnostics[0]?.message ?? 'invalid'}`);
    const expr = compiled.expression;
    let sink = 0;
    for (let i = 0; i < Math.min(iterations, 20_000); i++) if (expr.evaluate(context).ok) sink++;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) if (expr.evaluate(context).ok) sink++;
    const seconds = (performance.now() - start) / 1000;
    if (sink === 0) throw new Error(`${c.name}: no evaluation succeeded`);
    results.push({
      name: c.name,
      value: Math.round(iterations / seconds),
      unit: 'evaluations/s',
      baseline: 'target >= 1000000 evaluations/s on one core',
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const compileStart = performance.now();
  const compileRuns = Math.max(1, Math.floor(iterations / 100));
  for (let i = 0; i < compileRuns; i++) compileExpression(CASES[2]?.source ?? '', scope);
  results.push({
    name: 'expr.compile.priceTotal',
    value: Math.round(compileRuns / ((performance.now() - compileStart) / 1000)),
    unit: 'compilations/s',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const iterations = Number(process.argv[2] ?? 1_000_000);
  for (const r of await benchExpressions({ iterations }))
    console.log(`${r.name}: ${r.value.toLocaleString('en-US')} ${r.unit}`);
}
