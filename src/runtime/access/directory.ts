// The directory of people, roles and API keys, stored in the reserved `_access` space of the object
// store (both SQLite and PostgreSQL): users (directory/users.ts), roles (directory/roles.ts) and
// keys (directory/keys.ts). Nothing is cached: every request re-reads, so revoking a key, disabling
// a user or changing a role holds at once.
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type { Directory } from './contracts.ts';
import { keyStore } from './directory/keys.ts';
import { roleStore } from './directory/roles.ts';
import { accessSpace } from './directory/space.ts';
import { userStore } from './directory/users.ts';

export function createDirectory(deps: { store: Store; clock: Clock }): Directory {
  const space = accessSpace(deps.store, deps.clock);
  const roles = roleStore(space);
  const users = userStore(space, roles);
  const keys = keyStore(space, roles);
  return {
    principalForKey: (presented) => keys.principalForKey(presented),
    principalForKeyId: (id) => keys.principalForKeyId(id),
    principalForUser: (id, epoch) => users.principalForUser(id, epoch),
    verifyPassword: (email, password) => users.verifyPassword(email, password),
    signOutEverywhere: (id) => users.signOutEverywhere(id),
    listUsers: () => users.list(),
    getUser: (id) => users.get(id),
    inviteUser: (input, by) => users.invite(input, by),
    createUser: (input, by) => users.create(input, by),
    updateUser: (id, patch, by) => users.update(id, patch, by),
    deleteUser: (id, by) => users.delete(id, by),
    acceptInvitation: (token, password) => users.acceptInvitation(token, password),
    requestPasswordReset: (email) => users.requestPasswordReset(email),
    completePasswordReset: (token, password) => users.completePasswordReset(token, password),
    upsertSsoUser: (input) => users.upsertSso(input),
    listRoles: () => roles.list(),
    getRole: (name) => roles.get(name),
    putRole: (role, by) => roles.put(role, by),
    deleteRole: (name, by) => roles.delete(name, by),
    listKeys: () => keys.list(),
    createKey: (input, by) => keys.create(input, by),
    revokeKey: (id, by) => keys.revoke(id, by),
    rotateKey: (id, overlap, by) => keys.rotate(id, overlap, by),
  };
}
