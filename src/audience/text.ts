// The text form of a definition, written in the journey expression language.
import type { ErrorIssue } from '../errors.ts';
import type { RuleNode } from './rule-nodes.ts';
import type { AudienceDependencies, KnownNames } from './types.ts';

export type TextCompileResult =
  | { readonly ok: true; readonly node: RuleNode; readonly dependsOn: AudienceDependencies }
  | { readonly ok: false; readonly issues: ErrorIssue[] };

export function compileTextDefinition(_text: string, _known: KnownNames, _self: string): TextCompileResult {
  return { ok: false, issues: [{ path: 'definition.text', message: 'the text form is not available yet: use the JSON rule form' }] };
}
