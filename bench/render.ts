// Rendering throughput: the lab's Order Confirmation Email (MJML laid out once at compile time,
// fragments expanded, three purchased items, promo code, audience banner) rendered per profile.
// Target: 5,000 emails per second on one core.
// Usage: import { benchRender } from '../bench/render.ts'; await benchRender({ iterations: 20_000 });
import { performance } from 'node:perf_hooks';
import {
  compileMessage,
  renderInline,
  type RenderInput,
  type RenderOutcome,
} from '../src/content/index.ts';
import { loadLumaContent } from '../examples/luma/content/load.ts';

type Result = { name: string; value: number; unit: string; baseline?: string };

function input(i: number): RenderInput {
  return {
    profile: {
      person: { name: { firstName: `Ana${i % 100}`, lastName: 'Lopez' } },
      preferredLanguage: 'en_US',
    },
    context: {
      journey: {
        events: {
          LumaPurchaseEvent_Email: {
            _aeppartner1: { identification: { core: { email: `ana${i}@luma.example` } } },
            productListItems: [
              { name: 'Zing Jump Rope', SKU: 'UG04', quantity: 1, priceTotal: 12 },
              { name: 'Affirm Water Bottle', SKU: 'UG06', quantity: 2, priceTotal: 14 },
              { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
            ],
          },
        },
        actions: {
          LoyaltyService: { PromoCode: `LUMA-${i}`, LoyaltyOffer: '25% off your next purchase' },
        },
        technicalProperties: { journeyUID: 'bench' },
      },
    },
    audiences: i % 2 === 0 ? { 'Not Luma Mobile App Users': 'realized' } : {},
    now: 1_764_331_200_000,
  };
}

export async function benchRender(opts: { iterations: number }): Promise<Result[]> {
  const iterations = Math.max(1, Math.floor(opts.iterations));
  const { library, orderConfirmationEmail } = loadLumaContent();
  const results: Result[] = [];

  await compileMessage(orderConfirmationEmail, library); // loads MJML once
  const c0 = performance.now();
  const compiled = await compileMessage(orderConfirmationEmail, library);
  const compileMs = performance.now() - c0;
  if (!compiled.ok)
    throw new Error(
      `order confirmation does not compile: ${compiled.diagnostics[0]?.message ?? ''}`,
    );
  results.push({
    name: 'content.compile.orderConfirmation',
    value: Math.round(compileMs * 10) / 10,
    unit: 'ms',
  });

  const inputs = Array.from({ length: 64 }, (_, i) => input(i));
  let bytes = 0;
  for (let i = 0; i < Math.min(500, iterations); i++)
    bytes += renderedSize(compiled.message.render(inputs[i % 64] as RenderInput)); // warm-up
  bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++)
    bytes += renderedSize(compiled.message.render(inputs[i % 64] as RenderInput));
  const seconds = (performance.now() - t0) / 1000;
  results.push({
    name: 'content.render.orderConfirmation',
    value: Math.round(iterations / seconds),
    unit: 'emails/s',
    baseline: 'target >= 5000 per core',
  });
  results.push({
    name: 'content.render.orderConfirmation.size',
    value: Math.round(bytes / iterations),
    unit: 'bytes/email',
  });

  // The two tag forms on the same work: the {% %} form is translated to Handlebars at compile time,
  // so it should cost about the same per render (the fallback and function calls are helper calls).
  const data = {
    profile: {
      person: { name: { firstName: 'Ana' } },
      orders: [{ price: 10 }, { price: 32.5 }, { price: 7 }],
    },
  };
  const forms: Array<[string, string]> = [
    [
      'content.render.subject.handlebars',
      '{{profile.person.name.firstName}}, your order confirmation',
    ],
    [
      'content.render.subject.pql',
      '{%= profile.person.name.firstName ?: "there" %}, your order confirmation',
    ],
    ['content.render.loop.handlebars', '{{#each profile.orders as |o|}}{{o.price}};{{/each}}'],
    [
      'content.render.loop.pql-let',
      '{% let t = 0 %}{{#each profile.orders as |o|}}{% let t = t + o.price %}{{/each}}{{t}}',
    ],
  ];
  for (const [name, template] of forms) {
    const s0 = performance.now();
    for (let i = 0; i < iterations; i++) renderInline(template, data, 0);
    results.push({
      name,
      value: Math.round(iterations / ((performance.now() - s0) / 1000)),
      unit: 'renders/s',
    });
  }
  return results;
}

function renderedSize(o: RenderOutcome): number {
  return o.ok && o.channel === 'email' ? o.html.length + o.text.length + o.subject.length : 0;
}
