// On-demand lexer: the parser pulls tokens one at a time, and asks for path segments (which may
// contain `-`) where a reference path is expected.
import type { Span } from './errors.ts';

export type TokenKind =
  'ident' | 'integer' | 'decimal' | 'string' | 'op' | 'punct' | 'refOpen' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, operator/punctuation text, string value, number text, or reference opener. */
  readonly text: string;
  readonly span: Span;
}

export class SyntaxFailure extends Error {
  readonly span: Span;
  readonly expected: string | undefined;
  readonly found: string | undefined;
  constructor(message: string, span: Span, expected?: string, found?: string) {
    super(message);
    this.span = span;
    this.expected = expected;
    this.found = found;
  }
}

const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

const REF_OPENERS = ['@event{', '@action{', '@{', '#{'] as const;

export class Lexer {
  readonly source: string;
  private pos = 0;
  private peeked: Token | undefined;

  constructor(source: string) {
    this.source = source;
  }

  get offset(): number {
    return this.peeked ? this.peeked.span.offset : this.pos;
  }

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    this.pos = t.span.offset + t.span.length;
    return t;
  }

  /** Character right after the last consumed token (no whitespace skipping). */
  rawCharAt(offset: number): string {
    return this.source.charAt(offset);
  }

  /** Reads a path segment: `name`, `name-with-dash` or `'quoted'`/`"quoted"`. */
  segment(): { name: string; span: Span; quoted: boolean } {
    if (this.peeked) {
      this.pos = this.peeked.span.offset;
      this.peeked = undefined;
    }
    this.skipSpace();
    const start = this.pos;
    const c = this.source.charCodeAt(start);
    if (c === 39 || c === 34) {
      const value = this.readString(start);
      return { name: value, span: { offset: start, length: this.pos - start }, quoted: true };
    }
    if (!isIdentStart(c)) {
      const found =
        start >= this.source.length
          ? 'end of expression'
          : JSON.stringify(this.source.charAt(start));
      const hint =
        isDigit(c) || c === 45
          ? ' (a field name starting with a digit or "-" must be quoted, e.g. \'3h\')'
          : '';
      throw new SyntaxFailure(
        `Expected a field name, found ${found}${hint}`,
        { offset: start, length: 1 },
        'field name',
        found,
      );
    }
    let i = start + 1;
    while (i < this.source.length) {
      const d = this.source.charCodeAt(i);
      if (
        isIdentPart(d) ||
        (d === 45 && i + 1 < this.source.length && isIdentPart(this.source.charCodeAt(i + 1)))
      )
        i++;
      else break;
    }
    this.pos = i;
    return {
      name: this.source.slice(start, i),
      span: { offset: start, length: i - start },
      quoted: false,
    };
  }

  private skipSpace(): void {
    while (this.pos < this.source.length && isSpace(this.source.charCodeAt(this.pos))) this.pos++;
  }

  private scan(): Token {
    this.skipSpace();
    const s = this.source;
    const start = this.pos;
    if (start >= s.length) return { kind: 'eof', text: '', span: { offset: start, length: 0 } };
    const c = s.charCodeAt(start);
    if (c === 64 || c === 35) {
      for (const opener of REF_OPENERS) {
        if (s.startsWith(opener, start))
          return { kind: 'refOpen', text: opener, span: { offset: start, length: opener.length } };
      }
      throw new SyntaxFailure(
        `Unexpected ${JSON.stringify(s.charAt(start))}: a reference starts with @event{, @action{, @{ or #{`,
        { offset: start, length: 1 },
        'reference',
        s.charAt(start),
      );
    }
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < s.length && isIdentPart(s.charCodeAt(i))) i++;
      return { kind: 'ident', text: s.slice(start, i), span: { offset: start, length: i - start } };
    }
    if (isDigit(c)) return this.scanNumber(start);
    if (c === 34 || c === 39) {
      const value = this.readString(start);
      const end = this.pos;
      this.pos = start;
      return { kind: 'string', text: value, span: { offset: start, length: end - start } };
    }
    const two = s.slice(start, start + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=')
      return { kind: 'op', text: two, span: { offset: start, length: 2 } };
    const one = s.charAt(start);
    if ('<>+-*/%'.includes(one))
      return { kind: 'op', text: one, span: { offset: start, length: 1 } };
    if ('()[]{},.:'.includes(one))
      return { kind: 'punct', text: one, span: { offset: start, length: 1 } };
    if (one === '=') {
      throw new SyntaxFailure(
        'Unexpected "=": use "==" to compare',
        { offset: start, length: 1 },
        '==',
        '=',
      );
    }
    if (one === '&' || one === '|' || one === '!') {
      const word = one === '&' ? 'and' : one === '|' ? 'or' : 'not';
      throw new SyntaxFailure(
        `Unexpected ${JSON.stringify(one)}: use the lowercase operator "${word}"`,
        { offset: start, length: 1 },
        word,
        one,
      );
    }
    const cp = s.codePointAt(start) ?? 0;
    const shown =
      cp < 32 || cp === 127 ? `\\u${cp.toString(16).padStart(4, '0')}` : String.fromCodePoint(cp);
    throw new SyntaxFailure(
      `Unexpected character ${JSON.stringify(shown)}`,
      { offset: start, length: 1 },
      undefined,
      shown,
    );
  }

  private scanNumber(start: number): Token {
    const s = this.source;
    let i = start;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    let decimal = false;
    if (s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))) {
      decimal = true;
      i++;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      if (s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45) j++;
      if (isDigit(s.charCodeAt(j))) {
        decimal = true;
        i = j;
        while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      }
    }
    if (i < s.length && isIdentStart(s.charCodeAt(i))) {
      throw new SyntaxFailure(
        `Invalid number ${JSON.stringify(s.slice(start, i + 1))}`,
        { offset: start, length: i + 1 - start },
        'number',
      );
    }
    return {
      kind: decimal ? 'decimal' : 'integer',
      text: s.slice(start, i),
      span: { offset: start, length: i - start },
    };
  }

  /** Reads a quoted string starting at `start`; leaves pos after the closing quote. */
  private readString(start: number): string {
    const s = this.source;
    const quote = s.charCodeAt(start);
    let i = start + 1;
    let out = '';
    let chunk = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === quote) {
        out += s.slice(chunk, i);
        this.pos = i + 1;
        return out;
      }
      if (c === 92) {
        out += s.slice(chunk, i);
        const n = s.charAt(i + 1);
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          b: '\b',
          f: '\f',
          '"': '"',
          "'": "'",
          '\\': '\\',
          '/': '/',
        };
        const mapped = simple[n];
        if (mapped !== undefined) {
          out += mapped;
          i += 2;
        } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          throw new SyntaxFailure(`Invalid escape sequence "\\${n}" in string`, {
            offset: i,
            length: 2,
          });
        }
        chunk = i;
        continue;
      }
      i++;
    }
    throw new SyntaxFailure(
      'Unterminated string literal',
      { offset: start, length: s.length - start },
      String.fromCharCode(quote),
      'end of expression',
    );
  }
}
