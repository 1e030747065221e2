// The expression tree of the `{% %}` form.
export type PqlExpr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'array'; readonly items: readonly PqlExpr[] }
  | { readonly kind: 'path'; readonly segments: readonly string[]; readonly data: boolean }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly PqlExpr[] }
  | { readonly kind: 'member'; readonly object: PqlExpr; readonly name: string }
  | { readonly kind: 'unary'; readonly op: 'not' | 'neg'; readonly operand: PqlExpr }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: PqlExpr;
      readonly right: PqlExpr;
    };

export type BinaryOp =
  | 'fallback'
  | 'or'
  | 'and'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'mod';
