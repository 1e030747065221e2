import { z } from 'zod';

/**
 * The longest identity value accepted (an email, a phone number, a CRM id, a device token): more
 * than any real one needs, and small enough that a key of the identity index stays small.
 */
export const MAX_IDENTITY_LENGTH = 256;

export const identityNamespaceSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,29}$/, 'letters, digits and _ (at most 30)')
    .describe('The identity symbol events and profiles use, e.g. Email or CRMID.'),
  name: z.string().min(1).max(100).meta({ title: 'Display name' }),
  description: z.string().max(1000).optional(),
  /** How values are normalized before matching: emails are case-insensitive. */
  kind: z.enum(['email', 'phone', 'cookie', 'crm', 'device', 'custom']).default('custom').meta({
    title: 'Kind of identity',
    description: 'How values are matched: email addresses ignore case.',
  }),
});
export type IdentityNamespace = z.infer<typeof identityNamespaceSchema>;

export const defaultNamespaces: readonly IdentityNamespace[] = [
  { code: 'Email', name: 'Email', kind: 'email' },
  { code: 'Phone', name: 'Phone', kind: 'phone' },
  { code: 'ECID', name: 'Experience Cloud ID', kind: 'cookie' },
  { code: 'CRMID', name: 'CRM ID', kind: 'crm' },
];

export function normalizeIdentity(kind: IdentityNamespace['kind'], value: string): string {
  const trimmed = value.trim();
  return kind === 'email' ? trimmed.toLowerCase() : trimmed;
}
