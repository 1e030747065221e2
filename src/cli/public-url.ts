// The address people reach this server at, for the links in messages (tracking, unsubscribe,
// preferences, assets). Listening on every interface says nothing about that address: the
// default there is the machine's name, said aloud, rather than http://0.0.0.0, which no
// recipient's mail client can open.
import { hostname } from 'node:os';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '::0']);

export interface PublicUrlChoice {
  readonly url: string;
  /** Set when the address was guessed and links in messages may not reach this server. */
  readonly warning?: string;
}

export function choosePublicUrl(o: {
  readonly publicUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly host: string;
  readonly port: number | string;
  readonly machine?: string;
}): PublicUrlChoice {
  const given = o.publicUrl ?? o.env;
  if (given !== undefined && given !== '') return { url: given.replace(/\/$/, '') };
  if (!WILDCARD_HOSTS.has(o.host)) {
    const host = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
    return { url: `http://${host}:${o.port}` };
  }
  const machine = o.machine ?? hostname();
  const url = `http://${machine}:${o.port}`;
  return {
    url,
    warning: `listening on ${o.host}: links in messages will point to ${url}; pass --public-url (or set WAYMARK_PUBLIC_URL) with the address people reach this server at`,
  };
}
