// The proofs a sandbox sent, by Message-ID: proofs stay out of the delivery log (they are not
// messages of a journey and must not count in reports), yet the development inbox shows mail only
// to the sandbox whose log names it. The inbox itself lives in memory, so this list does too.
const KEEP_PER_SANDBOX = 500;

export class ProofLog {
  private readonly bySandbox = new Map<string, Set<string>>();

  record(sandbox: string, messageId: string): void {
    let ids = this.bySandbox.get(sandbox);
    if (ids === undefined) {
      ids = new Set();
      this.bySandbox.set(sandbox, ids);
    }
    ids.add(messageId);
    // A Set iterates in insertion order: the oldest goes first.
    if (ids.size > KEEP_PER_SANDBOX) ids.delete(ids.values().next().value as string);
  }

  ids(sandbox: string): ReadonlySet<string> {
    return this.bySandbox.get(sandbox) ?? new Set();
  }
}
