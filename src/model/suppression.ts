import { z } from 'zod';

// The sandbox-wide suppression list: addresses no message goes to, with why (a hard bounce or a
// complaint reported by the provider's webhook, or added by hand) and where it came from. A send to
// a suppressed address is excluded with reason `suppressed: <reason>` (src/runtime/messages.ts).

export const SuppressionReason = {
  HardBounce: 'hard_bounce',
  Complaint: 'complaint',
  Manual: 'manual',
} as const;
export type SuppressionReason = (typeof SuppressionReason)[keyof typeof SuppressionReason];
export const suppressionReasons = Object.values(SuppressionReason) as [
  SuppressionReason,
  ...SuppressionReason[],
];

export const SuppressionChannel = { Email: 'email', Sms: 'sms' } as const;
export type SuppressionChannel = (typeof SuppressionChannel)[keyof typeof SuppressionChannel];

/** The form addresses are kept and compared in: email lower-cased, phone numbers without spaces. */
export function normalizeSuppressedAddress(channel: SuppressionChannel, address: string): string {
  const trimmed = address.trim();
  return channel === 'email' ? trimmed.toLowerCase() : trimmed.replace(/[\s().-]/g, '');
}

/** What `POST /v1/suppressions` takes (the reason of an entry added by hand is `manual` unless told). */
export const suppressionInputSchema = z
  .object({
    channel: z.enum(['email', 'sms']).default('email'),
    address: z.string().min(3).max(320),
    reason: z.enum(suppressionReasons).default('manual'),
    detail: z.string().max(1000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.channel === 'email' && !/^[^\s@]+@[^\s@]+$/.test(v.address.trim()))
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: `expected an email address, got "${v.address.slice(0, 80)}"`,
      });
    if (
      v.channel === 'sms' &&
      !/^\+[1-9]\d{1,14}$/.test(normalizeSuppressedAddress('sms', v.address))
    )
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: `expected a phone number such as +14155550100, got "${v.address.slice(0, 80)}"`,
      });
  });
export type SuppressionInput = z.input<typeof suppressionInputSchema>;
