// Lexer and recursive-descent parser for `{% %}` expressions:
// fallback `?:` < or < and < not < comparison (= == != < <= > >=) < + - < * / % < unary - < postfix (.name, .fn(args)).
import type { BinaryOp, PqlExpr } from './ast.ts';

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'eof'; at: number };

export class PqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ops = [
  '?:',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '!',
  '|',
];

export function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let v = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === '\\' && j + 1 < src.length) {
          j++;
          const e = src[j];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else v += src[j];
      }
      if (j >= src.length) throw new PqlSyntaxError('unterminated string', i);
      out.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new PqlSyntaxError('unterminated `name`', i);
      out.push({ t: 'id', v: src.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num !== null) {
      out.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^@?[A-Za-z_$][\w$]*/.exec(src.slice(i));
    if (id !== null) {
      out.push({ t: 'id', v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = ops.find((o) => src.startsWith(o, i));
    if (op === undefined) throw new PqlSyntaxError(`unexpected character "${c}"`, i);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'eof', at: src.length });
  return out;
}

const compareOps: Readonly<Record<string, BinaryOp>> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};

export class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i] ?? { t: 'eof', at: 0 };
  }
  private next(): Tok {
    const t = this.peek();
    this.i++;
    return t;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  isWord(v: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === v;
  }
  expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new PqlSyntaxError(`expected "${v}"`, t.at);
  }
  expectId(): string {
    const t = this.next();
    if (t.t !== 'id') throw new PqlSyntaxError('expected a name', t.at);
    return t.v;
  }
  atEnd(): boolean {
    return this.peek().t === 'eof';
  }
  end(): void {
    const t = this.peek();
    if (t.t !== 'eof')
      throw new PqlSyntaxError(
        `unexpected ${t.t === 'str' ? JSON.stringify(t.v) : `"${String(t.v)}"`}`,
        t.at,
      );
  }

  expr(): PqlExpr {
    return this.fallback();
  }

  private fallback(): PqlExpr {
    const left = this.or();
    if (this.isOp('?:')) {
      this.next();
      return { kind: 'binary', op: 'fallback', left, right: this.fallback() };
    }
    return left;
  }
  private or(): PqlExpr {
    let left = this.and();
    while (this.isWord('or') || this.isOp('||')) {
      this.next();
      left = { kind: 'binary', op: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): PqlExpr {
    let left = this.not();
    while (this.isWord('and') || this.isOp('&&')) {
      this.next();
      left = { kind: 'binary', op: 'and', left, right: this.not() };
    }
    return left;
  }
  private not(): PqlExpr {
    if (this.isWord('not') || this.isOp('!')) {
      this.next();
      return { kind: 'unary', op: 'not', operand: this.not() };
    }
    return this.comparison();
  }
  private comparison(): PqlExpr {
    const left = this.additive();
    const t = this.peek();
    if (t.t === 'op' && compareOps[t.v] !== undefined) {
      this.next();
      return { kind: 'binary', op: compareOps[t.v] as BinaryOp, left, right: this.additive() };
    }
    return left;
  }
  private additive(): PqlExpr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const v = (this.next() as { v: string }).v;
      left = { kind: 'binary', op: v === '+' ? 'add' : 'sub', left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): PqlExpr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const v = (this.next() as { v: string }).v;
      left = {
        kind: 'binary',
        op: v === '*' ? 'mul' : v === '/' ? 'div' : 'mod',
        left,
        right: this.unary(),
      };
    }
    return left;
  }
  private unary(): PqlExpr {
    if (this.isOp('-')) {
      this.next();
      const operand = this.unary();
      if (operand.kind === 'literal' && typeof operand.value === 'number')
        return { kind: 'literal', value: -operand.value };
      return { kind: 'unary', op: 'neg', operand };
    }
    return this.postfix(this.primary());
  }
  private postfix(e: PqlExpr): PqlExpr {
    let cur = e;
    while (this.isOp('.')) {
      this.next();
      const name = this.expectId();
      if (this.isOp('(')) {
        cur = { kind: 'call', name, args: [cur, ...this.args()] };
      } else if (cur.kind === 'path') {
        cur = { kind: 'path', segments: [...cur.segments, name], data: cur.data };
      } else {
        cur = { kind: 'member', object: cur, name };
      }
    }
    return cur;
  }
  private args(): PqlExpr[] {
    this.expectOp('(');
    const out: PqlExpr[] = [];
    if (this.isOp(')')) {
      this.next();
      return out;
    }
    for (;;) {
      out.push(this.expr());
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expectOp(')');
      return out;
    }
  }
  private primary(): PqlExpr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { kind: 'literal', value: t.v };
      case 'str':
        return { kind: 'literal', value: t.v };
      case 'id': {
        if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
        if (t.v === 'null' || t.v === 'undefined') return { kind: 'literal', value: null };
        if (this.isOp('(')) return { kind: 'call', name: t.v, args: this.args() };
        return t.v.startsWith('@')
          ? { kind: 'path', segments: [t.v.slice(1)], data: true }
          : { kind: 'path', segments: [t.v], data: false };
      }
      case 'op': {
        if (t.v === '(') {
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        if (t.v === '[') {
          const items: PqlExpr[] = [];
          if (this.isOp(']')) {
            this.next();
            return { kind: 'array', items };
          }
          for (;;) {
            items.push(this.expr());
            if (this.isOp(',')) {
              this.next();
              continue;
            }
            this.expectOp(']');
            return { kind: 'array', items };
          }
        }
        throw new PqlSyntaxError(`unexpected "${t.v}"`, t.at);
      }
      case 'eof':
        throw new PqlSyntaxError('expression ends too early', t.at);
    }
  }
}

export function parseExpression(src: string): PqlExpr {
  const p = new Parser(lex(src));
  const e = p.expr();
  p.end();
  return e;
}
