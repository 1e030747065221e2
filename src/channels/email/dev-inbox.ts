import type { DevMail } from './dev-server.ts';

/** The development inbox behind `GET /v1/dev/inbox`: the newest messages first, bounded. */
export class DevInbox {
  readonly #messages: DevMail[] = [];
  readonly #limit: number;

  constructor(limit = 500) {
    this.#limit = limit;
  }

  /** Pass this as the dev server's onMessage. */
  readonly add = (mail: DevMail): void => {
    this.#messages.unshift(mail);
    if (this.#messages.length > this.#limit) this.#messages.length = this.#limit;
  };

  list(filter: { readonly to?: string; readonly limit?: number } = {}): readonly DevMail[] {
    const to = filter.to?.toLowerCase();
    const matched =
      to === undefined
        ? this.#messages
        : this.#messages.filter((m) => m.to.some((r) => r.toLowerCase() === to));
    return matched.slice(0, filter.limit ?? 100);
  }

  clear(): void {
    this.#messages.length = 0;
  }
}
