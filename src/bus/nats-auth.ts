// How Waymark authenticates to NATS and secures the connection: user and password, a token, an
// NKey seed, or a credentials file (JWT and NKey seed, as `nsc` writes it); TLS with a private CA
// and client certificates. Checked before connecting, so a wrong combination or a missing file is
// a clear error naming the option, and the secrets never appear in an error or a log line.
import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from 'nats';
import { ErrorCode, WaymarkError } from '../errors.ts';

export interface NatsAuth {
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** A NATS credentials file (`.creds`): a user JWT and its NKey seed. */
  readonly credsFile?: string;
  /** A file holding a user NKey seed (`SU…`), for servers that list users by NKey. */
  readonly nkeySeedFile?: string;
  readonly tls?: {
    /** The CA that signed the server's certificate (else the system's CAs). */
    readonly caFile?: string;
    /** A client certificate and its key, for servers that verify clients. */
    readonly certFile?: string;
    readonly keyFile?: string;
  };
}

const invalid = (option: string, message: string, received?: string): WaymarkError =>
  new WaymarkError(ErrorCode.BadRequest, `NATS connection option ${option}: ${message}`, {
    issues: [{ path: option, message, ...(received === undefined ? {} : { received }) }],
  });

function readable(option: string, file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw invalid(
      option,
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      file,
    );
  }
}

/** The `connect()` options for `auth`; throws a WaymarkError (bad_request) for a combination NATS would refuse or a file that cannot be read. */
export function natsConnectOptions(auth: NatsAuth = {}): Partial<ConnectionOptions> {
  const ways = [
    auth.user !== undefined || auth.password !== undefined ? 'user' : null,
    auth.token !== undefined ? 'token' : null,
    auth.credsFile !== undefined ? 'credsFile' : null,
    auth.nkeySeedFile !== undefined ? 'nkeySeedFile' : null,
  ].filter((w) => w !== null);
  if (ways.length > 1)
    throw invalid(ways[1]!, `give one way to authenticate, not ${ways.join(' and ')}`);
  if (auth.password !== undefined && !auth.user)
    throw invalid('user', 'a password needs a user name');
  if (auth.user !== undefined && auth.user === '') throw invalid('user', 'must not be empty', '');
  if (auth.token === '') throw invalid('token', 'must not be empty', '');
  const out: { -readonly [K in keyof ConnectionOptions]?: ConnectionOptions[K] } = {};
  if (auth.user !== undefined) {
    out.user = auth.user;
    if (auth.password !== undefined) out.pass = auth.password;
  }
  if (auth.token !== undefined) out.token = auth.token;
  if (auth.credsFile !== undefined) {
    const creds = readable('credsFile', auth.credsFile);
    if (!new TextDecoder().decode(creds).includes('BEGIN NATS USER JWT'))
      throw invalid(
        'credsFile',
        'is not a NATS credentials file (no "BEGIN NATS USER JWT" section)',
        auth.credsFile,
      );
    out.authenticator = credsAuthenticator(creds);
  }
  if (auth.nkeySeedFile !== undefined) {
    const seed = new TextDecoder().decode(readable('nkeySeedFile', auth.nkeySeedFile)).trim();
    if (!/^SU[A-Z2-7]{56}$/.test(seed))
      throw invalid(
        'nkeySeedFile',
        'does not hold a user NKey seed (58 characters starting with SU)',
        auth.nkeySeedFile,
      );
    out.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  const tls = auth.tls;
  if (tls) {
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined))
      throw invalid(
        tls.certFile === undefined ? 'tls.certFile' : 'tls.keyFile',
        'a client certificate needs both the certificate and its key',
      );
    // Read here so that a missing file is named now, not as a TLS failure after connecting.
    out.tls = {
      ...(tls.caFile !== undefined
        ? { ca: new TextDecoder().decode(readable('tls.caFile', tls.caFile)) }
        : {}),
      ...(tls.certFile !== undefined
        ? { cert: new TextDecoder().decode(readable('tls.certFile', tls.certFile)) }
        : {}),
      ...(tls.keyFile !== undefined
        ? { key: new TextDecoder().decode(readable('tls.keyFile', tls.keyFile)) }
        : {}),
    };
  }
  return out;
}

/** A server URL fit for messages and logs: a user name stays, a password or token in it does not. */
export function redactServer(server: string): string {
  return server.replace(/^([a-z]+:\/\/)([^@/]*)@/i, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}
