// Profile fixtures shared by the API tests: a profile of the Email namespace put over HTTP, with a
// first name (personalized content) or a phone (SMS).
import assert from 'node:assert/strict';
import type { ApiWorld } from './server.ts';

/** PUT /v1/profiles/Email/:email with `body` (it must succeed). */
export async function putEmailProfile(w: ApiWorld, email: string, body: unknown): Promise<void> {
  const url = `/v1/profiles/Email/${email}`;
  const r = await w.request('PUT', url, body);
  assert.ok(r.status < 300, `PUT ${url}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** A profile whose first name is `firstName`. */
export const putNamedProfile = (w: ApiWorld, email: string, firstName: string): Promise<void> =>
  putEmailProfile(w, email, { attributes: { person: { name: { firstName } } } });

/** A profile with a phone (its Phone identity). */
export const putPhoneProfile = (w: ApiWorld, email: string, phone: string): Promise<void> =>
  putEmailProfile(w, email, { identities: [{ namespace: 'Phone', id: phone }] });
