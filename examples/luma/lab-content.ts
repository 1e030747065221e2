// The lab's messages. The Order Confirmation Email personalizes the subject with the first name,
// lists the purchased items and carries the LoyaltyService's offer and promo code.

export interface LabContent {
  readonly confirmation: Record<string, unknown>;
  readonly abandonedPush: Record<string, unknown>;
  readonly abandonedEmail: Record<string, unknown>;
  /** Fragments, content templates and language settings the messages use. */
  readonly objects: ReadonlyArray<Record<string, unknown>>;
}

export function labContent(): LabContent {
  return {
    confirmation: {
      subject: '{{profile.person.name.firstName}}, your order confirmation',
      html: [
        '<h1>Thank you for your order, {{profile.person.name.firstName}}!</h1>',
        '<p>Here are the details of your order:</p>',
        '<table>{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}',
        '<tr><td>{{item.name}}</td><td>{{item.quantity}}</td><td>${{item.priceTotal}}</td></tr>{{/each}}</table>',
        '<p>Your loyalty reward: <strong>{{context.journey.actions.LoyaltyService.LoyaltyOffer}}</strong>',
        ' with the code <strong>{{context.journey.actions.LoyaltyService.PromoCode}}</strong>.</p>',
      ].join(''),
    },
    abandonedPush: {
      title: 'You left something in your cart',
      body: '{{profile.person.name.firstName}}, your Luma cart is waiting for you.',
      deepLink: 'luma://cart',
    },
    abandonedEmail: {
      subject: '{{profile.person.name.firstName}}, you left items in your cart',
      html: '<p>Your cart is waiting:</p><ul>{{#each context.journey.events.LumaCheckoutEvent_Email.productListItems as |item|}}<li>{{item.name}} × {{item.quantity}}</li>{{/each}}</ul><p><a href="https://luma.example/cart">Return to your cart</a></p>',
    },
    objects: [],
  };
}
