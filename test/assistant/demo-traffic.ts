// A few hundred events on the Luma demo: checkouts, most followed by a purchase, some left to time
// out; the world's clock then moves past the journey's waits.
import { cart, lumaEvent, type LumaWorld } from '../support/luma.ts';

export async function demoTraffic(w: LumaWorld, people = 150): Promise<void> {
  const events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < people; i++) {
    const email = `shopper${i}@luma.example`;
    events.push(lumaEvent('LumaCheckoutEvent_Email', email, cart, `assist-c-${i}`));
    if (i % 5 !== 0)
      events.push(lumaEvent('LumaPurchaseEvent_Email', email, cart, `assist-p-${i}`));
  }
  for (let i = 0; i < events.length; i += 50) await w.send(events.slice(i, i + 50));
  await w.advance(2 * 3_600_000);
}
