// The object pages reach the form engine (ui/src/forms) through this one module: a form per kind,
// the browser's validation in plain words, an empty spec to start from, the kind's JSON Schema (for
// the JSON tab's completion) and an object's display name.
import {
  displayName as nameOf,
  emptySpec,
  schemaFor as jsonSchemaOf,
  validateSpec,
} from '../forms/index.ts';
import type { ReferenceLookup } from '../forms/index.ts';
import type { ObjectKind } from '../app/menu.ts';
import type { Schema } from './json-schema-complete.ts';

export { SchemaForm } from '../forms/index.ts';
export { emptySpec, validateSpec };
export type { ReferenceLookup };

export type Spec = Record<string, unknown>;
export interface FormIssue {
  readonly path: string;
  readonly message: string;
}

export function schemaFor(kind: ObjectKind): Schema | null {
  try {
    return jsonSchemaOf(kind) as Schema;
  } catch {
    return null;
  }
}

export function displayName(kind: ObjectKind, spec: Spec): string | null {
  try {
    return nameOf(kind, spec) || null;
  } catch {
    return null;
  }
}
