// Closures for binary operators, specialized by the operands' static types.
import type { Node } from './ast.ts';
import type { Compiler } from './compile.ts';
import { EvalError } from './errors.ts';
import type { Arith } from './ops.ts';
import {
  addDuration,
  decAdd,
  decDiv,
  decMod,
  decMul,
  decSub,
  describeValue,
  dynamicArith,
  intAdd,
  intDiv,
  intMod,
  intMul,
  intSub,
} from './ops.ts';
import type { Evaluator } from './runtime.ts';
import { isPrim } from './types.ts';
import { compareValues, Duration, formatValue, valuesEqual } from './values.ts';

type Num = number | bigint;
type NumOp = (a: Num, b: Num) => Num;

const INT_OPS: Record<Arith, NumOp> = {
  '+': intAdd,
  '-': intSub,
  '*': intMul,
  '/': intDiv,
  '%': intMod,
};
const DEC_OPS: Record<Arith, NumOp> = {
  '+': decAdd,
  '-': decSub,
  '*': decMul,
  '/': decDiv,
  '%': decMod,
};

export function compileBinary(c: Compiler, node: Node & { kind: 'binary' }): Evaluator {
  const l = c.compile(node.left);
  const r = c.compile(node.right);
  const lt = c.typeOf(node.left);
  const rt_ = c.typeOf(node.right);
  const span = node.opSpan;
  switch (node.op) {
    case 'and':
      return (rt) => l(rt) === true && r(rt) === true;
    case 'or':
      return (rt) => l(rt) === true || r(rt) === true;
    case '==':
      return (rt) => valuesEqual(l(rt), r(rt));
    case '!=':
      return (rt) => !valuesEqual(l(rt), r(rt));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const op = node.op;
      const test =
        op === '<'
          ? (n: number) => n < 0
          : op === '<='
            ? (n: number) => n <= 0
            : op === '>'
              ? (n: number) => n > 0
              : (n: number) => n >= 0;
      if (isPrim(lt, 'integer', 'decimal') && isPrim(rt_, 'integer', 'decimal')) {
        return (rt) => {
          const a = l(rt) as Num | null;
          const b = r(rt) as Num | null;
          if (a === null || b === null) return false;
          switch (op) {
            case '<':
              return a < b;
            case '<=':
              return a <= b;
            case '>':
              return a > b;
            case '>=':
              return a >= b;
          }
        };
      }
      return (rt) => {
        const a = l(rt);
        const b = r(rt);
        if (a === null || b === null) return false;
        const cmp = compareValues(a, b);
        if (cmp === undefined || typeof a === 'string' || typeof a === 'boolean') {
          throw new EvalError(
            'type_error',
            `Cannot compare ${describeValue(a)} with ${describeValue(b)} using "${op}"`,
            span,
          );
        }
        return test(cmp);
      };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const op = node.op;
      const ld = isPrim(lt, 'decimal');
      const rd = isPrim(rt_, 'decimal');
      if (op === '+' && (isPrim(lt, 'string') || isPrim(rt_, 'string'))) {
        return (rt) => {
          const a = l(rt);
          const b = r(rt);
          if (a === null || b === null) return null;
          return formatValue(a, ld) + formatValue(b, rd);
        };
      }
      if (isPrim(lt, 'integer') && isPrim(rt_, 'integer')) {
        const f = INT_OPS[op];
        return (rt) => {
          const a = l(rt) as Num | null;
          const b = r(rt) as Num | null;
          return a === null || b === null ? null : f(a, b);
        };
      }
      if (isPrim(lt, 'integer', 'decimal') && isPrim(rt_, 'integer', 'decimal')) {
        const f = DEC_OPS[op];
        return (rt) => {
          const a = l(rt) as Num | null;
          const b = r(rt) as Num | null;
          return a === null || b === null ? null : f(a, b);
        };
      }
      if (
        (op === '+' || op === '-') &&
        isPrim(rt_, 'duration') &&
        isPrim(lt, 'dateTime', 'dateTimeOnly', 'duration')
      ) {
        const sign = op === '+' ? 1 : -1;
        return (rt) => {
          const a = l(rt);
          const b = r(rt);
          return a === null || !(b instanceof Duration) ? null : addDuration(a, b, sign, span);
        };
      }
      return (rt) => dynamicArith(op, l(rt), r(rt), span, ld, rd);
    }
  }
}
