// A variant condition as a Handlebars argument.
import type { Condition } from '../../model/message-content.ts';
import type { FieldCompiler } from '../field-compiler.ts';
import { diag, type FieldRef } from '../diagnostics.ts';
import { parseExpression } from '../pql/parser.ts';
import { Emitter } from '../pql/translate.ts';

export function conditionSource(c: Condition, ref: FieldRef, fc: FieldCompiler): string {
  switch (c.kind) {
    case 'audience':
      return `(inAudience ${JSON.stringify(c.audience)} "${c.status}")`;
    case 'expression':
      try {
        return new Emitter(new Set(), new Set()).arg(parseExpression(c.expression));
      } catch (e) {
        fc.diagnostics.push(
          diag(
            ref,
            'syntax',
            `condition "${c.expression}": ${e instanceof Error ? e.message : String(e)}`,
          ),
        );
        return 'false';
      }
  }
}
