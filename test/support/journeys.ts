// Journey test helpers shared by the API and engine tests: an event type keyed by an email, a
// journey created and published (through the service or over HTTP), and what a profile's instance
// went through.
import assert from 'node:assert/strict';
import type { JourneyDefinitionInput } from '../../src/model/journey.ts';
import type { LumaWorld } from './luma.ts';
import type { ApiWorld } from './server.ts';

type JsonSchema = Record<string, unknown>;

/** An event type whose profiles are found by `email` (namespace Email), with more properties if given. */
export const emailEventType = (name: string, properties: Record<string, JsonSchema> = {}) => ({
  name,
  identity: { path: 'email', namespace: 'Email' },
  schema: {
    type: 'object',
    required: ['email'],
    properties: { email: { type: 'string' }, ...properties },
  },
});

/** Stores `emailEventType(name, properties)` in the prod sandbox. */
export async function putEmailEventType(
  w: LumaWorld,
  name: string,
  properties: Record<string, JsonSchema> = {},
): Promise<void> {
  await w.app.objects.put('prod', 'eventType', emailEventType(name, properties));
}

/** Creates a journey in the prod sandbox (it must have no problems) and publishes it. */
export async function publishJourney(
  w: LumaWorld,
  id: string,
  def: JourneyDefinitionInput,
): Promise<void> {
  const saved = await w.app.journeys.create('prod', id, def);
  assert.deepEqual(saved.problems, [], `${id} has no problems`);
  await w.app.journeys.publish('prod', id);
}

/** The same over HTTP: POST /v1/journeys, then POST /v1/journeys/:id/publish. */
export async function publishJourneyOverApi(
  w: ApiWorld,
  id: string,
  def: Record<string, unknown>,
): Promise<void> {
  const made = await w.request('POST', '/v1/journeys', { id, ...def });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const pub = await w.request('POST', `/v1/journeys/${id}/publish`);
  assert.ok(pub.status < 300, JSON.stringify(pub.body));
}

/** A journey's instances in the prod sandbox. */
export function instancesOf(w: LumaWorld, journeyId: string) {
  return w.app.reads.instances('prod', { journeyId, limit: 1000 });
}

/** A journey node's counters: the total of each metric (read once, when called). */
export async function nodeCounts(
  w: LumaWorld,
  journeyId: string,
  node: string,
): Promise<(metric: string) => number> {
  const counters = await w.app.reads.counters('prod', journeyId);
  return (metric) =>
    counters.filter((c) => c.node === node && c.metric === metric).reduce((s, c) => s + c.value, 0);
}

/** The path of the profile (by email) through a journey, as "node:outcome" steps. */
export async function pathOf(w: LumaWorld, email: string, journeyId: string): Promise<string[]> {
  const profileId = await w.app.reads.findProfileId('prod', 'Email', email);
  assert.ok(profileId, `a profile for ${email}`);
  const [i] = (await w.app.reads.instances('prod', { profileId, limit: 10 })).filter(
    (x) => x.journeyId === journeyId,
  );
  assert.ok(i, `${email} is in ${journeyId}`);
  return i.path.map((p) => `${p.node}:${p.outcome}`);
}
