// Whole sandboxes: which hold data, and erasing one.

/** Whole sandboxes: the registry's migration and its reset and delete (src/runtime/access/sandbox-registry.ts). */
export interface SandboxDataRepository {
  /** Every sandbox that holds anything (objects, journeys, profiles, events, messages), for registering sandboxes that predate the registry. */
  sandboxesWithData(): Promise<string[]>;
  /** Deletes everything the sandbox holds, in every table, in one transaction (the audit log keeps its entries). */
  eraseSandbox(sandbox: string): Promise<void>;
}
