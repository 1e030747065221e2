// The JSON body parser: Fastify's own (which refuses "__proto__" and "constructor.prototype" keys),
// behind a nesting limit. Parsing and the checks that walk a parsed body recurse, so a body of
// thousands of nested brackets would overflow the stack and come back as a 500; no event, object
// or package needs more than a few dozen levels.
import type { FastifyInstance } from 'fastify';
import { ErrorCode, WaymarkError } from '../errors.ts';

export const MAX_BODY_NESTING = 64;

/** The deepest nesting of objects and arrays in JSON text (brackets inside strings do not count). */
export function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) { depth++; if (depth > deepest) deepest = depth; }
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

export function tooDeep(levels: number): WaymarkError {
  return new WaymarkError(ErrorCode.BadRequest, `the request body is nested ${levels} levels deep; at most ${MAX_BODY_NESTING} are accepted`, {
    issues: [{ path: 'body', message: 'nested too deeply', expected: `at most ${MAX_BODY_NESTING} levels of objects and arrays`, received: `${levels} levels` }],
  });
}

export function registerJsonBodyParser(f: FastifyInstance): void {
  const parse = f.getDefaultJsonParser('error', 'error');
  f.removeContentTypeParser('application/json');
  f.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    const levels = jsonNesting(text);
    if (levels > MAX_BODY_NESTING) { done(tooDeep(levels), undefined); return; }
    parse(req, text, done);
  });
}
