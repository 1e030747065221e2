// Completion in the JSON tab from the kind's JSON Schema: property names of the object the cursor is
// in (with their help text), and the allowed values (enums, constants, true/false) of the property
// whose value is being typed. The path at the cursor comes from the JSON syntax tree.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import type { EditorView } from '@codemirror/view';
import type { SyntaxNode } from '@lezer/common';
import type { PathStep } from './json-locate.ts';

export interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema | readonly Schema[];
  readonly prefixItems?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly description?: string;
  readonly required?: readonly string[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, Schema>>;
  readonly definitions?: Readonly<Record<string, Schema>>;
}

/** The schema's alternatives, with references resolved and unions flattened. */
function branches(s: Schema | undefined, root: Schema, depth = 0): Schema[] {
  if (!s || depth > 20) return [];
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    return branches(root.$defs?.[name] ?? root.definitions?.[name], root, depth + 1);
  }
  const alts = [...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  const own: Schema[] = alts.length ? alts.flatMap((a) => branches(a, root, depth + 1)) : [s];
  return s.allOf ? [...own, ...s.allOf.flatMap((a) => branches(a, root, depth + 1))] : own;
}

/** Every schema that may describe the value at `path`. */
export function schemasAt(root: Schema, path: readonly PathStep[]): Schema[] {
  let here = branches(root, root);
  for (const step of path) {
    here = here.flatMap((s) => {
      if (typeof step === 'number') {
        const items = s.prefixItems?.[step] ?? (Array.isArray(s.items) ? s.items[step] : s.items);
        return branches(items as Schema | undefined, root);
      }
      const prop = s.properties?.[step];
      if (prop) return branches(prop, root);
      return typeof s.additionalProperties === 'object'
        ? branches(s.additionalProperties, root)
        : [];
    });
  }
  return here;
}

/** The property names an object at `path` may have, first the required ones. */
export function propertiesAt(
  root: Schema,
  path: readonly PathStep[],
): Array<{ name: string; help?: string; required: boolean }> {
  const out = new Map<string, { name: string; help?: string; required: boolean }>();
  for (const s of schemasAt(root, path)) {
    for (const [name, sub] of Object.entries(s.properties ?? {})) {
      const help = sub.description ?? branches(sub, root).find((b) => b.description)?.description;
      const prev = out.get(name);
      out.set(name, {
        name,
        help: prev?.help ?? help,
        required: (prev?.required ?? false) || !!s.required?.includes(name),
      });
    }
  }
  return [...out.values()].sort((a, b) => Number(b.required) - Number(a.required));
}

/** The values a field at `path` may take when they are a closed list. */
export function valuesAt(root: Schema, path: readonly PathStep[]): unknown[] {
  const out: unknown[] = [];
  for (const s of schemasAt(root, path)) {
    if (s.const !== undefined) out.push(s.const);
    for (const v of s.enum ?? []) out.push(v);
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('boolean')) out.push(true, false);
  }
  return [...new Set(out.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as unknown);
}

/** Inserts `insert`, also over the closing quote the editor typed ahead of the cursor. */
const applyOver =
  (insert: string) =>
  (view: EditorView, _c: Completion, from: number, to: number): void => {
    const end = view.state.sliceDoc(to, to + 1) === '"' ? to + 1 : to;
    view.dispatch({
      changes: { from, to: end, insert },
      selection: { anchor: from + insert.length },
    });
  };

const text = (ctx: CompletionContext, n: SyntaxNode): string => ctx.state.sliceDoc(n.from, n.to);

/** The path of the value `node` is (or is inside), from the syntax tree. */
function pathOf(ctx: CompletionContext, node: SyntaxNode | null): PathStep[] {
  const out: PathStep[] = [];
  for (let n = node; n; n = n.parent) {
    const parent = n.parent;
    if (!parent) break;
    if (parent.name === 'Property' && n.name !== 'PropertyName') {
      const key = parent.getChild('PropertyName');
      if (key) {
        try {
          out.unshift(JSON.parse(text(ctx, key)) as string);
        } catch {
          out.unshift(text(ctx, key).replace(/^"|"$/g, ''));
        }
      }
    } else if (parent.name === 'Array' && !['[', ']', ','].includes(n.name)) {
      let i = 0;
      for (let c = n.prevSibling; c; c = c.prevSibling)
        if (!['[', ']', ','].includes(c.name) && !c.type.isError) i++;
      out.unshift(i);
    }
  }
  return out;
}

/** A CodeMirror completion source for JSON described by `schema`. */
export function jsonSchemaCompletion(schema: () => Schema | null) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const root = schema();
    if (!root) return null;
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    const word = ctx.matchBefore(/"?[\w$@.-]*"?$/);
    // Inside an object where a property name goes: after "{" or "," or on a PropertyName.
    const inObject =
      node.name === 'Object'
        ? node
        : node.name === 'PropertyName'
          ? node.parent?.parent
          : node.parent?.name === 'Object' && node.type.isError
            ? node.parent
            : null;
    if (inObject && (node.name === 'PropertyName' || node.name === 'Object' || node.type.isError)) {
      const path = pathOf(ctx, inObject);
      const present = new Set(
        inObject
          .getChildren('Property')
          .map((p) => p.getChild('PropertyName'))
          .filter((k): k is SyntaxNode => !!k && !(k.from <= ctx.pos && ctx.pos <= k.to))
          .map((k) => text(ctx, k).replace(/^"|"$/g, '')),
      );
      const options: Completion[] = propertiesAt(root, path)
        .filter((p) => !present.has(p.name))
        .map((p) => ({
          label: JSON.stringify(p.name),
          apply: applyOver(`${JSON.stringify(p.name)}: `),
          type: 'property',
          detail: p.required ? 'required' : undefined,
          info: p.help,
        }));
      if (options.length === 0) return null;
      return { from: word?.from ?? ctx.pos, options, validFor: /^"?[\w$@.-]*"?$/ };
    }
    // A value: the property's path, then its allowed values.
    const valueNode = node.name === 'Property' ? node.lastChild : node;
    if (
      valueNode &&
      (node.parent?.name === 'Property' ||
        node.name === 'Property' ||
        node.parent?.name === 'Array')
    ) {
      const path = pathOf(ctx, valueNode.name === 'Property' ? null : valueNode);
      const fromProperty = node.name === 'Property' ? pathOf(ctx, node) : null;
      const values = valuesAt(
        root,
        fromProperty
          ? [...fromProperty, text(ctx, node.getChild('PropertyName')!).replace(/^"|"$/g, '')]
          : path,
      );
      if (values.length === 0) return null;
      return {
        from: word?.from ?? ctx.pos,
        options: values.map((v) => ({
          label: JSON.stringify(v),
          apply: applyOver(JSON.stringify(v)),
          type: 'enum',
        })),
        validFor: /^"?[\w$@.-]*"?$/,
      };
    }
    return null;
  };
}
