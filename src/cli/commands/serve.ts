// `waymark serve`: the server on the embedded store; with --demo, the Luma demo and its LoyaltyService.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { lumaImages, lumaPackage } from '../../../examples/luma/index.ts';
import { startLoyaltyService } from '../../../examples/luma/loyalty-service.ts';
import { apiKey, loadAdminKey } from '../../api/auth.ts';
import { buildServer } from '../../api/server.ts';
import { createWaymark } from '../../runtime/app.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { startDevProviders } from '../../runtime/dev-providers.ts';
import { FsBlobStore } from '../../runtime/blobs.ts';
import { loadOrCreateSecretKey } from '../../channels/secrets.ts';

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('run the Waymark server on the embedded store (SQLite in --data)')
    .option('--data <dir>', 'data folder', './.waymark')
    .option('--port <n>', 'HTTP port', '4600')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'apply the Luma demo and start its LoyaltyService', false)
    .option('--loyalty-port <n>', 'port of the demo LoyaltyService', '4601')
    .option('--smtp-port <n>', 'port of the embedded development SMTP server (0: any free port)', '2525')
    .option('--public-url <url>', 'the address people reach this server at, for tracked links (default: http://host:port)')
    .option('--allow-hosts <list>', 'comma-separated hosts custom actions may call (env WAYMARK_ACTION_ALLOW_HOSTS)', process.env.WAYMARK_ACTION_ALLOW_HOSTS ?? '')
    .action(async (o: { data: string; port: string; host: string; demo: boolean; loyaltyPort: string; smtpPort: string; allowHosts: string; publicUrl?: string }) => {
      const dataDir = resolve(o.data);
      mkdirSync(dataDir, { recursive: true });
      const log = pino({ level: process.env.WAYMARK_LOG_LEVEL ?? 'info', redact: ['key', 'authorization'] });
      const allowHosts = o.allowHosts.split(',').map((h) => h.trim()).filter(Boolean);
      const dev = await startDevProviders({ smtpPort: Number(o.smtpPort) });
      const loyalty = o.demo ? await startLoyaltyService(Number(o.loyaltyPort)) : null;
      // The demo's LoyaltyService runs on this machine: loopback is allowed for the demo sandbox only.
      const trackingSecret = loadOrCreateSecretKey(join(dataDir, 'tracking.key'));
      const publicUrl = (o.publicUrl ?? `http://${o.host}:${o.port}`).replace(/\/$/, '');
      const app = createWaymark({
        store: new SqliteStore(join(dataDir, 'waymark.db')),
        allowHosts: { '*': allowHosts, ...(loyalty ? { prod: ['127.0.0.1'] } : {}) },
        secretKey: loadOrCreateSecretKey(join(dataDir, 'secret.key')),
        blobs: new FsBlobStore(join(dataDir, 'blobs')),
        publicUrl,
        tracking: { secret: trackingSecret, baseUrl: publicUrl }, log: (level, message, details) => log[level](details ?? {}, message) });
      if (loyalty) {
        const r = await app.packages.apply('prod', lumaPackage({ loyaltyUrl: loyalty.url, devSmtpPort: dev.smtp.port, push: dev.pushSettings, publicUrl }));
        const failed = r.objects.filter((x) => x.status === 'publish_failed');
        for (const x of failed) log.error({ object: x }, 'demo object failed to publish');
        for (const image of lumaImages()) await app.assets.storeImage('prod', image.id, 1, image.bytes);
        log.info({ objects: r.objects.length, loyaltyService: loyalty.url }, 'Luma demo applied');
      }
      const admin = loadAdminKey(dataDir, process.env.WAYMARK_ADMIN_KEY);
      const server = await buildServer({ app, keys: [apiKey('admin', admin.key)], logger: { level: process.env.WAYMARK_LOG_LEVEL ?? 'warn' }, devProviders: dev, trackingSecret });
      app.engine.start();
      const url = await server.listen({ port: Number(o.port), host: o.host });
      process.stdout.write(`Waymark is running at ${url}\n  data: ${dataDir}\n  admin API key${admin.created ? ' (new, saved in admin.key)' : ''}: ${admin.key}\n  OpenAPI: ${url}/openapi.json\n  development SMTP server: ${dev.smtp.host}:${dev.smtp.port} (inbox: ${url}/v1/dev/inbox)\n`);
      const shutdown = async (): Promise<void> => {
        await server.close();
        await app.close();
        await loyalty?.close();
        await dev.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
