// Audience memberships of a profile as journeys and content read them (inAudience, audience
// conditions): evaluated from the profile on the spot, so a change counts from the next step on.
import { evaluateMemberships } from '../audience/index.ts';
import type { CatalogCache } from './catalog.ts';
import type { Clock } from './clock.ts';
import type { MembershipReader } from './ports.ts';

export function createMembershipReader(catalogs: CatalogCache, clock: Clock): MembershipReader {
  return async (sandbox, profile) => {
    if (!profile) return {};
    const catalog = await catalogs.get(sandbox);
    if (catalog.audiences.length === 0) return {};
    const r = evaluateMemberships(catalog.audiences, { attributes: profile.attributes, events: [], feedback: [], memberships: {} }, clock.now());
    return r.memberships;
  };
}
