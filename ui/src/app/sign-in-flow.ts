// Which sandbox a fresh (or reloaded) session opens: the one asked for when the person may enter it,
// else production, else the first the server lists. What /v1/me answers for it comes back.
import type { MeView } from '@waymark/shared/api/access.ts';
import { Api, ApiError } from '../api/client.ts';
import type { SessionInfo } from '../api/client.ts';

const NO_SANDBOX =
  'You are signed in, but your account may not enter any sandbox yet. Ask an administrator to give you a role.';

const refused = (e: unknown): boolean =>
  e instanceof ApiError && (e.status === 403 || e.status === 404);

async function meAt(user: SessionInfo, sandbox: string): Promise<MeView> {
  return new Api({ sandbox, csrfToken: user.csrfToken }).get<MeView>('/v1/me');
}

/** /v1/me in `preferred`, or in a sandbox the person may enter when that one is gone or closed to them. */
export async function meIn(user: SessionInfo, preferred: string): Promise<MeView> {
  let me: MeView;
  try {
    me = await meAt(user, preferred);
  } catch (e) {
    if (!refused(e) || preferred === 'prod') throw refused(e) ? new Error(NO_SANDBOX) : e;
    try {
      me = await meAt(user, 'prod');
    } catch (e2) {
      throw refused(e2) ? new Error(NO_SANDBOX) : e2;
    }
  }
  if (!Array.isArray(me.sandboxes)) return me;
  if (me.sandboxes.length === 0) throw new Error(NO_SANDBOX);
  if (me.sandboxes.some((s) => s.name === me.sandbox)) return me;
  // The server answered for a sandbox it does not list as enterable: open the first one it lists.
  return meAt(user, me.sandboxes[0]!.name);
}
