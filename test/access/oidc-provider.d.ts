// The few parts of oidc-provider (a devDependency without type definitions) the single sign-on test uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Configuration {
    readonly clients?: ReadonlyArray<Record<string, unknown>>;
    findAccount?(ctx: unknown, id: string): Promise<Account | undefined> | Account | undefined;
    readonly claims?: Record<string, readonly string[]>;
    readonly cookies?: { readonly keys: readonly string[] };
    readonly features?: Record<string, unknown>;
    readonly [setting: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  export default Provider;
}
