// The one logging seam. Every module that logs takes a `Logger`; the server makes one from its pino
// logger (or Fastify's, which is pino) with `pinoLogger`, and tests pass none or their own. Details
// go through `redactDetails` on the way out: secrets are never written to a log.

export type LogLevel = 'info' | 'warn' | 'error';

/** What a log line says besides its message: ids, counts, error messages (never secrets). */
export type LogDetails = Readonly<Record<string, unknown>>;

/** Writes one log line. `details` are structured fields (pino's object), not interpolated text. */
export type Logger = (level: LogLevel, message: string, details?: LogDetails) => void;

/** A logger that writes nothing (the default where none is given). */
export const silentLogger: Logger = () => undefined;

/** What `pinoLogger` needs of pino: a method per level taking the fields, then the message. */
export interface PinoLike {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** The Logger that writes through pino (the server's logger, Fastify's `app.log`), redacted. */
export function pinoLogger(pino: PinoLike): Logger {
  return (level, message, details) => pino[level](redactDetails(details ?? {}), message);
}

/** Field names whose values are secrets wherever they appear (any case; `-` or `_` ignored). */
const SECRET_NAMES = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'password',
  'newpassword',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'xapikey',
  'key',
  'privatekey',
  'signingkey',
]);

export const REDACTED = '[redacted]';

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/** A copy of `details` with the value of every secret-named field (at any depth) replaced. */
export function redactDetails(details: LogDetails): Record<string, unknown> {
  return redactObject(details, 0);
}

const MAX_DEPTH = 8;

function redactObject(o: LogDetails, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o))
    out[k] =
      isSecretName(k) && v !== undefined && v !== null ? REDACTED : redactValue(v, depth + 1);
  return out;
}

function redactValue(v: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1));
  if (v instanceof Error) return { name: v.name, message: v.message };
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  return redactObject(v as LogDetails, depth);
}
