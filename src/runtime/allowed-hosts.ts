// A sandbox's own allowed hosts, stored with its objects (kind `allowedHosts`, key `hosts`: no
// migration, both stores), added to the operator's --allow-hosts list. Kept in memory once read, so
// that the synchronous outbound policy sees them; every action call and delivery reads the
// sandbox's list first (ensure), so a restart loses nothing.
import {
  checkDestination,
  OutboundRefusedError,
  portOf,
  sandboxPolicy,
  type OutboundPolicy,
} from '../channels/outbound/index.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { Store } from '../store/ports.ts';

export const ALLOWED_HOSTS_KIND = 'allowedHosts';
const KEY = 'hosts';

interface Stored {
  readonly hosts: readonly string[];
}

/** Forms the policy reads (src/channels/outbound/policy.ts): `name`, `name:port`, `*.name`, IP literals, `[v6]:port`. */
const entryForm =
  /^(\*|\*\.)?[A-Za-z0-9._-]+(:(\d{1,5}|\*))?$|^\[[0-9A-Fa-f:.]+\](:(\d{1,5}|\*))?$/;

export class SandboxHosts {
  private readonly stored = new Map<string, readonly string[]>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly operator: (sandbox: string) => readonly string[],
  ) {}

  /** The operator's list and the sandbox's own (as far as read). */
  hostsFor(sandbox: string): readonly string[] {
    const own = this.stored.get(sandbox);
    return own && own.length > 0 ? [...this.operator(sandbox), ...own] : this.operator(sandbox);
  }

  policy(sandbox: string): OutboundPolicy {
    return sandboxPolicy(this.hostsFor(sandbox));
  }

  private preloaded: Promise<void> | null = null;

  /**
   * Reads every sandbox's list (at start), so that the synchronous policy (app.outbound: proofs,
   * channel transports) has them before the first send; a sandbox not listed has none.
   */
  preload(): Promise<void> {
    this.preloaded ??= this.store.listObjectsOfKind<Stored>(ALLOWED_HOSTS_KIND).then(
      (all) => {
        for (const o of all)
          if (o.key === KEY && !this.stored.has(o.sandbox))
            this.stored.set(o.sandbox, o.body.hosts);
      },
      () => undefined,
    );
    return this.preloaded;
  }

  /** Reads the sandbox's list once. */
  ensure(sandbox: string): Promise<void> {
    if (this.stored.has(sandbox)) return Promise.resolve();
    let p = this.loading.get(sandbox);
    if (!p) {
      p = this.store
        .getObject<Stored>(sandbox, ALLOWED_HOSTS_KIND, KEY)
        .then((o) => {
          this.stored.set(sandbox, o?.body.hosts ?? []);
        })
        .finally(() => this.loading.delete(sandbox));
      this.loading.set(sandbox, p);
    }
    return p;
  }

  /** Forgets what was read of the sandbox's list (its data was erased: reset or delete). */
  forget(sandbox: string): void {
    this.stored.delete(sandbox);
  }

  async list(
    sandbox: string,
  ): Promise<{ operator: readonly string[]; sandbox: readonly string[] }> {
    await this.ensure(sandbox);
    return { operator: this.operator(sandbox), sandbox: this.stored.get(sandbox) ?? [] };
  }

  async add(sandbox: string, host: string, now: string): Promise<readonly string[]> {
    const entry = host.trim().toLowerCase();
    if (!entryForm.test(entry))
      throw new WaymarkError(ErrorCode.ValidationFailed, 'the host is not an allowed-host entry', {
        issues: [
          {
            path: 'host',
            message: 'not a host form',
            expected:
              'api.example.com, api.example.com:8443, *.example.com, 10.0.0.5 or 127.0.0.1:4601',
            received: host,
          },
        ],
      });
    await this.ensure(sandbox);
    const hosts = [...new Set([...(this.stored.get(sandbox) ?? []), entry])];
    await this.store.putObject<Stored>(sandbox, ALLOWED_HOSTS_KIND, KEY, { hosts }, now);
    this.stored.set(sandbox, hosts);
    return hosts;
  }

  async remove(sandbox: string, host: string, now: string): Promise<readonly string[]> {
    await this.ensure(sandbox);
    const hosts = (this.stored.get(sandbox) ?? []).filter((h) => h !== host.trim().toLowerCase());
    await this.store.putObject<Stored>(sandbox, ALLOWED_HOSTS_KIND, KEY, { hosts }, now);
    this.stored.set(sandbox, hosts);
    return hosts;
  }

  /**
   * Whether a URL may be reached from the sandbox, as the policy decides before connecting (names
   * are checked again against their addresses when connecting). `entry` is what to allow.
   */
  async check(
    sandbox: string,
    target: string | { readonly host: string; readonly port: number },
  ): Promise<{ ok: true } | { ok: false; host: string; entry: string; reason: string }> {
    await this.ensure(sandbox);
    let hostname: string;
    let port: number;
    let defaultPort: boolean;
    if (typeof target === 'string') {
      let u: URL;
      try {
        u = new URL(target);
      } catch {
        return { ok: false, host: target, entry: target, reason: 'not a URL' };
      }
      hostname = u.hostname;
      port = portOf(u);
      defaultPort = u.port === '';
    } else {
      hostname = target.host;
      port = target.port;
      defaultPort = false;
    }
    try {
      checkDestination(this.policy(sandbox), hostname, port);
      return { ok: true };
    } catch (e) {
      if (!(e instanceof OutboundRefusedError)) throw e;
      const host = hostname.replace(/^\[|\]$/g, '');
      const shown = host.includes(':') ? `[${host}]` : host;
      return {
        ok: false,
        host: `${shown}:${port}`,
        entry: defaultPort ? shown : `${shown}:${port}`,
        reason: e.message,
      };
    }
  }
}

/** Entries only the operator may add (a key for every sandbox): private and loopback addresses, wildcards for every host. */
export function needsOperator(entry: string): boolean {
  const e = entry.trim().toLowerCase();
  if (e === '*' || e.startsWith('*:')) return true;
  const host = e.startsWith('[') ? e.slice(1, e.indexOf(']')) : e.replace(/:(\d+|\*)$/, '');
  return (
    /^[0-9.]+$/.test(host) ||
    host.includes(':') ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal') ||
    host.endsWith('.local')
  );
}
