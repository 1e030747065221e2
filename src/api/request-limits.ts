// What every request must respect before a route sees it:
// - JSON bodies are parsed behind a nesting limit: parsing and the checks that walk a parsed body
//   recurse, so thousands of nested brackets would overflow the stack and come back as a 500; no
//   event, object or package needs more than a few dozen levels.
// - A body holding a "__proto__" key (or "constructor" holding "prototype") at any depth is refused
//   with the key's path (src/shared/forbidden-keys.ts), not as "not valid JSON": it is valid JSON,
//   just not accepted.
// - No text may hold a NUL character (U+0000), in a body, a path or a query: PostgreSQL cannot store
//   one in a text column, and no identity, name or payload needs one, so it is refused the same way
//   whichever store runs.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { findForbiddenKey, forbiddenKeyRefused } from '../shared/forbidden-keys.ts';
import { MAX_BODY_NESTING, scanJson } from '../shared/json-scan.ts';

export { jsonNesting, MAX_BODY_NESTING, scanJson } from '../shared/json-scan.ts';

export const nulRefused = (where: string): WaymarkError =>
  new WaymarkError(
    ErrorCode.BadRequest,
    `the ${where} holds a NUL character (\\u0000), which no text may hold`,
    {
      issues: [
        {
          path: where,
          message: 'holds a NUL character',
          expected: 'text without U+0000',
          received: '\\u0000',
        },
      ],
    },
  );

/** A NUL anywhere in the URL (path or query), as %00. */
export const urlHoldsNul = (url: string): boolean => /%00/.test(url);

export function tooDeep(levels: number): WaymarkError {
  return new WaymarkError(
    ErrorCode.BadRequest,
    `the request body is nested ${levels} levels deep; at most ${MAX_BODY_NESTING} are accepted`,
    {
      issues: [
        {
          path: 'body',
          message: 'nested too deeply',
          expected: `at most ${MAX_BODY_NESTING} levels of objects and arrays`,
          received: `${levels} levels`,
        },
      ],
    },
  );
}

export function registerJsonBodyParser(f: FastifyInstance): void {
  // Fastify's parser for what it answers best: an empty body.
  const parseEmpty = f.getDefaultJsonParser('error', 'error');
  f.removeContentTypeParser('application/json');
  f.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text === '') {
      void parseEmpty(req, text, done);
      return;
    }
    const scan = scanJson(text);
    if (scan.depth > MAX_BODY_NESTING) {
      done(tooDeep(scan.depth), undefined);
      return;
    }
    if (scan.nul) {
      done(nulRefused('body'), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      // The error handler answers a SyntaxError with status 400 as "not valid JSON: ...".
      Object.assign(e as Error, { statusCode: 400 });
      done(e as Error, undefined);
      return;
    }
    const forbidden = findForbiddenKey(value);
    if (forbidden) {
      done(forbiddenKeyRefused(forbidden), undefined);
      return;
    }
    done(null, value);
  });
}

/** Bodies other parsers produced (CSV, JSON lines, forms, YAML packages): a NUL in them is refused too. */
export function textBodyHoldsNul(body: unknown): boolean {
  if (body instanceof URLSearchParams) {
    for (const [k, v] of body) if (k.includes('\u0000') || v.includes('\u0000')) return true;
    return false;
  }
  // A walk with a stack, not recursion: the body came from a parser with no nesting limit.
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}
