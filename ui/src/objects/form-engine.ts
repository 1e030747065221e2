// The object pages reach the form engine (ui/src/forms) through this one module, so that its
// contract is written down in one place: a form per kind, client-side validation in plain words,
// an empty spec to start from, the kind's JSON Schema and an object's display name.
//
// Until ui/src/forms lands, minimal stand-ins keep the pages working on the JSON tab.
import { createElement } from 'react';
import type { ReactElement } from 'react';
import type { ObjectKind } from '../app/menu.ts';
import type { Schema } from './json-schema-complete.ts';

export type Spec = Record<string, unknown>;

export interface FormIssue { readonly path: string; readonly message: string }

export interface SchemaFormProps {
  readonly kind: ObjectKind;
  readonly value: Spec;
  onChange(value: Spec): void;
  readonly serverIssues?: readonly FormIssue[];
  /** Names of the sandbox's objects, by kind, for reference pickers. */
  readonly references?: Readonly<Record<string, readonly string[]>>;
  /** The field that keys the object is shown but not editable (an existing object). */
  readonly readOnlyKey?: boolean;
}

export const formsAvailable = false;

export function SchemaForm(_p: SchemaFormProps): ReactElement {
  return createElement('p', { className: 'muted' }, 'The form for this kind is on its way: use the JSON tab meanwhile.');
}

export function validateSpec(_kind: ObjectKind, _value: Spec): FormIssue[] {
  return [];
}

export function emptySpec(_kind: ObjectKind): Spec {
  return { name: '' };
}

export function schemaFor(_kind: ObjectKind): Schema | null {
  return null;
}

export function displayName(_kind: ObjectKind, spec: Spec): string | null {
  for (const f of ['name', 'label', 'title', 'id', 'code']) if (typeof spec[f] === 'string' && spec[f]) return spec[f] as string;
  return null;
}
