// Audience memberships of a profile as journeys and content read them (inAudience, audience
// conditions): the stored memberships (src/runtime/audiences), which streaming evaluation keeps
// current on every event and profile change, batch runs and uploads set, and windows expire.
import type { AudienceRuntime } from './audiences/runtime.ts';
import type { MembershipReader } from './ports.ts';

export function createMembershipReader(audiences: AudienceRuntime): MembershipReader {
  return (sandbox, profile) => audiences.read(sandbox, profile);
}
