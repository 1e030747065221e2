// What the fleet scenarios set up before their engines start: a Waymark of their own over the
// fleet's schema (one process, no leases) that writes the world and is closed before the fleet
// starts, a store to read what the engines did, and the streaming audience of gold-tier profiles
// with its members.
import { createWaymark, type Waymark, type WaymarkOptions } from '../../../src/runtime/app.ts';
import {
  openPostgresStore,
  type PostgresStore,
} from '../../../src/store/postgres/postgres-store.ts';
import { POSTGRES_TEST_URL } from '../../support/test-store.ts';

/** A store on the fleet's schema, to read what the engines did (close it when done). */
export function openFleetReader(schema: string): Promise<PostgresStore> {
  return openPostgresStore({ connectionString: POSTGRES_TEST_URL, schema, maxConnections: 2 });
}

/** A Waymark on the fleet's schema that writes the world before the fleet starts (close it first). */
export async function openFleetSetup(
  schema: string,
  options: Pick<WaymarkOptions, 'allowHosts'> = {},
): Promise<Waymark> {
  return createWaymark({ store: await openFleetReader(schema), ...options });
}

/** The addresses of `count` gold members. */
export const goldEmails = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `gold${i}@fleet.example`);

/** A streaming audience of the Email profiles whose loyalty tier is gold. */
export async function putGoldAudience(setup: Waymark, name: string): Promise<void> {
  await setup.objects.put('prod', 'audience', {
    name,
    origin: 'streaming',
    namespace: 'Email',
    definition: { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'gold' },
  });
}

/** Email profiles of the gold tier (the audience's members). */
export async function putGoldMembers(setup: Waymark, emails: readonly string[]): Promise<void> {
  for (const email of emails)
    await setup.profiles.put('prod', 'Email', email, {
      attributes: { loyalty: { tier: 'gold' } },
      identities: [],
    });
}
