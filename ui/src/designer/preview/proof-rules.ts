// Proof addresses and subject prefixes, validated before anything is sent (pure).

export const MAX_PROOF_ADDRESSES = 10;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Addresses separated by commas, semicolons, spaces or lines: the valid ones and the problems. */
export function parseAddresses(text: string): { addresses: string[]; problems: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const addresses: string[] = [];
  const problems: string[] = [];
  for (const p of parts) {
    if (!EMAIL.test(p)) problems.push(`"${p}" is not an email address`);
    else if (!addresses.includes(p.toLowerCase())) addresses.push(p.toLowerCase());
  }
  if (addresses.length > MAX_PROOF_ADDRESSES)
    problems.push(`at most ${MAX_PROOF_ADDRESSES} addresses (${addresses.length} given)`);
  return { addresses, problems };
}

/** AJO allows letters, digits and . - _ ( ) [ ] in a proof's subject prefix. */
export function prefixProblem(prefix: string): string | null {
  if (prefix === '') return null;
  return /^[A-Za-z0-9.\-_()[\]]+$/.test(prefix)
    ? null
    : 'only letters, digits and . - _ ( ) [ ] are allowed';
}
