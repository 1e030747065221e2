// How `waymark serve` writes its logs: readable lines in a terminal, JSON (one object a line, for
// log collectors) when stdout is not a terminal. --log-format or WAYMARK_LOG_FORMAT forces either.
import { InvalidArgumentError } from 'commander';

export type LogFormat = 'pretty' | 'json';

/** A destination pino and Fastify write their JSON lines to. */
export interface LogStream {
  write(line: string): void;
}

export function logFormatOf(flag: string | undefined, isTty: boolean): LogFormat {
  const chosen = flag ?? process.env.WAYMARK_LOG_FORMAT;
  if (chosen === undefined || chosen === '' || chosen === 'auto') return isTty ? 'pretty' : 'json';
  if (chosen === 'pretty' || chosen === 'json') return chosen;
  throw new InvalidArgumentError(
    `the log format must be pretty, json or auto, not "${chosen}" (--log-format or WAYMARK_LOG_FORMAT)`,
  );
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '36' },
  30: { name: 'INFO ', color: '32' },
  40: { name: 'WARN ', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '35' },
};
/** pino's own fields, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

const plain = (v: unknown): string => {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
};

/** One pino JSON line as `12:03:04.567 INFO  message key=value ...` (colored when `color`). */
export function prettyLine(json: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[typeof o.level === 'number' ? o.level : 30] ?? {
    name: String(o.level),
    color: '0',
  };
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const fields = Object.entries(o)
    .filter(([k]) => !HEAD.has(k))
    .map(([k, v]) => `${paint('90', `${k}=`)}${plain(v)}`);
  return `${paint('90', time)} ${paint(level.color, level.name)} ${typeof o.msg === 'string' ? o.msg : ''}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`;
}

/** Where logs go: stdout as they come (JSON), or each line made readable. */
export function logStream(format: LogFormat, out: NodeJS.WriteStream = process.stdout): LogStream {
  if (format === 'json')
    return {
      write: (line) => {
        out.write(line);
      },
    };
  const color = out.isTTY === true && process.env.NO_COLOR === undefined;
  return {
    write: (chunk) => {
      for (const line of chunk.split('\n')) if (line !== '') out.write(prettyLine(line, color));
    },
  };
}
