// Operator typing, with the documented quirks: `*` needs operands of one type, ordering only
// between numbers, dateTimes or dateTimeOnlys, `+` concatenates when a side is a string and a
// function call used as a `+` operand must be in parentheses.
import type { Node } from './ast.ts';
import type { Checker } from './checker.ts';
import { DiagnosticCode } from './errors.ts';
import type { Type } from './types.ts';
import { isLoose, isNumeric, isPrim, T, typeName } from './types.ts';

const ORDERABLE = (t: Type): boolean =>
  isLoose(t) || isPrim(t, 'integer', 'decimal', 'dateTime', 'dateTimeOnly');

export function checkOperator(c: Checker, node: Node & { kind: 'binary' }, l: Type, r: Type): Type {
  const a = typeName(l);
  const b = typeName(r);
  const mismatch = (message: string, expected: string, found: string, at = node.opSpan): Type => {
    c.error(DiagnosticCode.TypeMismatch, message, at, expected, found);
    return T.any;
  };
  switch (node.op) {
    case 'and':
    case 'or':
      c.expectBoolean(l, node.left.span, `the left operand of "${node.op}"`);
      c.expectBoolean(r, node.right.span, `the right operand of "${node.op}"`);
      return T.boolean;
    case '==':
    case '!=':
      return T.boolean;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const ok =
        ORDERABLE(l) &&
        ORDERABLE(r) &&
        (isLoose(l) ||
          isLoose(r) ||
          (isNumeric(l) && isNumeric(r)) ||
          (l.kind === 'primitive' && r.kind === 'primitive' && l.name === r.name));
      if (!ok) {
        return (
          mismatch(
            `Cannot compare ${a} with ${b} using "${node.op}": only dateTime with dateTime, dateTimeOnly with dateTimeOnly, or numbers with numbers`,
            'both numbers, both dateTime or both dateTimeOnly',
            `${a} ${node.op} ${b}`,
          ),
          T.boolean
        );
      }
      return T.boolean;
    }
    case '+': {
      for (const side of [node.left, node.right]) {
        if (side.kind === 'call') {
          c.error(
            DiagnosticCode.ParenthesesRequired,
            `A function call used as an operand of "+" must be in parentheses: (${c.source.slice(side.span.offset, side.span.offset + side.span.length)})`,
            side.span,
            '(function call)',
            'function call',
          );
        }
      }
      if (isPrim(l, 'string') || isPrim(r, 'string')) return T.string;
      if (isLoose(l) || isLoose(r)) {
        const other = isLoose(l) ? r : l;
        if (isLoose(other)) return T.any;
        if (isPrim(other, 'duration')) return T.any;
        if (!isNumeric(other) && !isPrim(other, 'dateTime', 'dateTimeOnly')) {
          return mismatch(
            `Cannot add ${a} and ${b}`,
            'numbers, strings, or a date and a duration',
            `${a} + ${b}`,
          );
        }
        return isNumeric(other) ? T.any : other;
      }
      if (isNumeric(l) && isNumeric(r))
        return isPrim(l, 'integer') && isPrim(r, 'integer') ? T.integer : T.decimal;
      if (isPrim(r, 'duration') && isPrim(l, 'dateTime', 'dateTimeOnly', 'duration')) return l;
      return mismatch(
        `Cannot add ${a} and ${b}: "+" adds numbers, concatenates when a side is a string, or adds a duration to a dateTime, dateTimeOnly or duration`,
        'numbers, strings, or a date and a duration',
        `${a} + ${b}`,
      );
    }
    case '-': {
      if (isLoose(l) && isLoose(r)) return T.any;
      if (isLoose(l) || isLoose(r)) {
        const other = isLoose(l) ? r : l;
        if (isNumeric(other)) return T.any;
        if (isPrim(other, 'duration')) return T.any;
        if (isLoose(r) && isPrim(l, 'dateTime', 'dateTimeOnly')) return l;
        return mismatch(`Cannot subtract ${b} from ${a}`, 'numbers', `${a} - ${b}`);
      }
      if (isNumeric(l) && isNumeric(r))
        return isPrim(l, 'integer') && isPrim(r, 'integer') ? T.integer : T.decimal;
      if (isPrim(r, 'duration') && isPrim(l, 'dateTime', 'dateTimeOnly', 'duration')) return l;
      return mismatch(
        `Cannot subtract ${b} from ${a}: "-" needs numbers (or a date minus a duration)`,
        'numbers',
        `${a} - ${b}`,
      );
    }
    case '*': {
      if (isLoose(l) && isLoose(r)) return T.any;
      if (isLoose(l) || isLoose(r)) {
        const other = isLoose(l) ? r : l;
        if (isNumeric(other)) return other;
        return mismatch(
          `Cannot multiply ${a} by ${b}: "*" needs numbers`,
          'integer or decimal',
          `${a} * ${b}`,
        );
      }
      if (!isNumeric(l) || !isNumeric(r))
        return mismatch(
          `Cannot multiply ${a} by ${b}: "*" needs numbers`,
          'integer or decimal',
          `${a} * ${b}`,
        );
      if (!isPrim(l, r.kind === 'primitive' ? r.name : 'integer')) {
        return mismatch(
          `Both operands of "*" must have the same type (integer or decimal), found ${a} * ${b}; e.g. write 3.0 * 4.0, not 3 * 4.0`,
          `${a} * ${a}`,
          `${a} * ${b}`,
        );
      }
      return l;
    }
    case '/':
    case '%': {
      if (isLoose(l) && isLoose(r)) return T.any;
      const bad = (t: Type): boolean => !isLoose(t) && !isNumeric(t);
      if (bad(l) || bad(r))
        return mismatch(
          `Cannot apply "${node.op}" to ${a} and ${b}: it needs numbers`,
          'integer or decimal',
          `${a} ${node.op} ${b}`,
        );
      if (isLoose(l) || isLoose(r)) return T.any;
      return isPrim(l, 'integer') && isPrim(r, 'integer') ? T.integer : T.decimal;
    }
  }
}
