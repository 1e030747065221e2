// Loads the Luma demo package: luma.yaml, the audiences and campaigns beside it and the lab's message content,
// with the address of the bundled LoyaltyService filled in.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-files.ts';
import { labContent } from './lab-content.ts';
import { journeyNodeSchema } from '../../src/model/journey.ts';
import { channelConfigurationSchema } from '../../src/model/channel-configuration.ts';

// From the package root rather than this module: the build bundles this file into dist/, and the
// demo's data files ship beside it in examples/luma.
const here = join(PACKAGE_ROOT, 'examples', 'luma');

export interface LumaOptions {
  /** Where the LoyaltyService listens (its POST endpoint). */
  readonly loyaltyUrl: string;
  /** Port of the development SMTP server the EmailMarketing configuration sends to. */
  readonly devSmtpPort?: number;
  /** Where the server is reached: the Luma images are served from it (else their placeholder URLs stay). */
  readonly publicUrl?: string;
  /** APNs and FCM settings of the development push provider (DXDemoApp). */
  readonly push?: { readonly apns: Json; readonly fcm: Json };
  /** Web Push settings (a VAPID key pair) of LumaWebPush, with which the storefront registers browsers. */
  /**
   * The storefront's objects (examples/luma/inapp: the LumaWeb configurations and the Cart reminder
   * journey), where the server has the in-app channel. `waymark serve --demo` asks for them; the
   * test worlds built on the demo do not, so their journeys stay the lab's.
   */
  readonly storefront?: boolean;
  readonly webPush?: {
    readonly subject: string;
    readonly publicKey: string;
    readonly privateKey: string;
  };
}

/** Push settings for runs that contact no provider (the simulator): valid, never used. */
const offlinePush = {
  apns: {
    keyId: 'OFFLINE001',
    teamId: 'OFFLINE001',
    bundleId: 'com.luma.dxdemoapp',
    p8Key: 'offline',
    host: 'http://127.0.0.1:9',
  },
  fcm: {
    projectId: 'luma-dxdemoapp',
    baseUrl: 'http://127.0.0.1:9',
    serviceAccount: {
      client_email: 'offline@luma.example',
      private_key: 'offline',
      token_uri: 'http://127.0.0.1:9/token',
    },
  },
};

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function substitute(value: Json, vars: Readonly<Record<string, Json>>): Json {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Z_]+)\}$/.exec(value);
    if (whole) return vars[whole[1]!] ?? value;
    return value.replace(/\$\{([A-Z_]+)\}/g, (m, name: string) =>
      typeof vars[name] === 'string' ? (vars[name] as string) : m,
    );
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

function yamlFiles(dir: string): Json[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Json);
}

export function lumaPackage(opts: LumaOptions): Record<string, unknown> {
  const base = parse(readFileSync(join(here, 'luma.yaml'), 'utf8')) as Json;
  const content = labContent();
  const vars: Record<string, Json> = {
    LOYALTY_URL: opts.loyaltyUrl,
    DEV_APNS: (opts.push ?? offlinePush).apns as Json,
    DEV_FCM: (opts.push ?? offlinePush).fcm as Json,
    DEV_SMTP_PORT: opts.devSmtpPort ?? 2525,
    CONFIRMATION_CONTENT: content.confirmation as Json,
    ABANDONED_PUSH_CONTENT: content.abandonedPush as Json,
    ABANDONED_EMAIL_CONTENT: content.abandonedEmail as Json,
  };
  const pkg = substitute(base, vars) as { objects: Json[] } & Record<string, Json>;
  const audiences = yamlFiles(join(here, 'audiences')).map((spec) => ({ kind: 'audience', spec }));
  const extra = content.objects.map((o) =>
    o.kind === 'asset' && opts.publicUrl
      ? {
          ...o,
          spec: {
            ...o.spec,
            url: `${opts.publicUrl}/assets/prod/${String(o.spec.id)}?v=${String(o.spec.version ?? 1)}`,
          },
        }
      : o,
  ) as unknown as Json[];
  // Offers and landing pages (a file holds one object or a list): they name fragments and assets above.
  const pages = yamlFiles(join(here, 'landing-pages')).flatMap((x) => (Array.isArray(x) ? x : [x]));
  // Campaigns come last: they name the audiences, configurations and rule sets above.
  const campaigns = yamlFiles(join(here, 'campaigns'));
  // The in-app objects (examples/luma/inapp), only where the server has the in-app channel.
  const inApp =
    opts.storefront === true && supportsInApp()
      ? yamlFiles(join(here, 'inapp')).sort(
          (a, b) => Number(isJourney(a)) - Number(isJourney(b)), // configurations first
        )
      : [];
  // The storefront's Web Push configuration (a VAPID key pair of the data folder's): its own, so the
  // lab's DXDemoApp and the journeys and packages that use it stay as they were.
  const webPush: Json[] = opts.webPush
    ? [
        {
          kind: 'channelConfiguration',
          spec: {
            channel: 'push',
            name: 'LumaWebPush',
            description: 'Web Push to the browsers of the Luma storefront (/demo/luma/).',
            appId: 'com.luma.web',
            webPush: { ...opts.webPush },
          },
        },
      ]
    : [];
  return {
    ...pkg,
    objects: [...extra, ...audiences, ...pkg.objects, ...webPush, ...inApp, ...pages, ...campaigns],
  };
}

const isJourney = (o: Json): boolean =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && o['kind'] === 'journey';

/**
 * Whether this server's model has the in-app and code-based channels: channel configurations
 * `inApp` and `code`, journey activities `inApp` and `codeBased` (asked of the schemas themselves,
 * so the demo applies on a server without them, and gains the Cart reminder journey once they are
 * there).
 */
export function supportsInApp(): boolean {
  const node = (kind: string, content: Record<string, unknown>) =>
    journeyNodeSchema.safeParse({ id: 'probe', kind, configuration: 'Probe', content, next: [] })
      .success;
  const channel = (name: string) =>
    channelConfigurationSchema.safeParse({ channel: name, name: 'Probe' }).success;
  return (
    node('inApp', {
      layout: 'modal',
      title: 'Probe',
      body: 'Probe',
      buttons: [],
      trigger: { kind: 'appLaunch' },
      frequency: { kind: 'once' },
    }) &&
    node('codeBased', {
      surface: 'web://luma.example/probe',
      format: 'html',
      payload: '<p></p>',
    }) &&
    channel('inApp') &&
    channel('code')
  );
}

/**
 * A digest of everything the demo is made from: its files here (YAML, content, images) and the
 * options. Equal digests make equal packages, so a restart can tell that the demo it applied last
 * time is still the one it would apply, without building and comparing it again.
 */
export function lumaFingerprint(opts: LumaOptions, version: string): string {
  const hash = createHash('sha256')
    .update(version)
    .update(JSON.stringify(opts))
    // The in-app objects join the package when the server gains the channel: a new demo then.
    .update(supportsInApp() ? 'in-app' : 'no in-app');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(here);
  return hash.digest('hex');
}

/** The Luma images (PNG), by asset id, to store beside the package's asset objects. */
export function lumaImages(): Array<{ id: string; bytes: Buffer }> {
  const dir = join(here, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .map((f) => ({ id: f.replace(/\.png$/, ''), bytes: readFileSync(join(dir, f)) }));
}
