// Editor completions (filled in below).
import type { SchemaScope } from './scope.ts';

export interface Completion {
  readonly label: string;
  readonly kind: 'field' | 'function' | 'keyword' | 'event' | 'action' | 'audience' | 'method';
  readonly insertText: string;
  readonly detail?: string;
  /** Replace source[from, cursor) with insertText. */
  readonly from: number;
}

export function completeExpression(source: string, cursor: number, scope: SchemaScope): Completion[] {
  void source;
  void cursor;
  void scope;
  return [];
}
