// Checking of references and path steps: the event, action, profile or data-source schema at
// the root, fields (projected over lists), collection methods with their loop variable, map
// methods, and default values.
import type { CurrentField, Node, RefSource, Step } from './ast.ts';
import { literalValue } from './ast.ts';
import type { Checker } from './checker.ts';
import { DiagnosticCode } from './errors.ts';
import type { JsonSchema, Type } from './types.ts';
import {
  assignable,
  fieldType,
  isLoose,
  isPrim,
  listOf,
  rootSchemaType,
  T,
  typeName,
} from './types.ts';

export const CURRENT_FOR: Record<RefSource, CurrentField> = {
  event: 'currentEventField',
  action: 'currentActionField',
  dataSource: 'currentDataPackField',
  profile: 'currentDataPackField',
};

/** The schema of an event or action named at the root of a reference, or null after reporting it unknown. */
function scopedSchema(
  c: Checker,
  node: Node & { kind: 'ref' },
  name: string,
  table: Readonly<Record<string, JsonSchema>>,
  code: (typeof DiagnosticCode)[keyof typeof DiagnosticCode],
  words: {
    readonly noun: string;
    readonly plural: string;
    readonly none: string;
    readonly expected: string;
  },
): JsonSchema | null {
  const schema = Object.hasOwn(table, name) ? table[name] : c.scope.open ? {} : undefined;
  if (schema) return schema;
  const known = Object.keys(table);
  c.error(
    code,
    `Unknown ${words.noun} "${name}"${known.length ? `: known ${words.plural} are ${known.join(', ')}` : `: ${words.none}`}`,
    node.rootSpan,
    known.length ? `one of ${known.join(', ')}` : words.expected,
    name,
  );
  checkDefault(c, node, T.any);
  return null;
}

export function checkRef(c: Checker, node: Node & { kind: 'ref' }): Type {
  let base: Type;
  let where: string;
  const name = node.root[0] ?? '';
  switch (node.source) {
    case 'event': {
      const schema = scopedSchema(c, node, name, c.scope.events, DiagnosticCode.UnknownEvent, {
        noun: 'event',
        plural: 'events',
        none: 'no event is in scope',
        expected: 'an event in scope',
      });
      if (!schema) return T.any;
      c.info.events.add(name);
      base = rootSchemaType(schema);
      where = `event ${name}`;
      break;
    }
    case 'action': {
      const schema = scopedSchema(c, node, name, c.scope.actions, DiagnosticCode.UnknownAction, {
        noun: 'action',
        plural: 'actions',
        none: 'no custom action is in scope',
        expected: 'an action in scope',
      });
      if (!schema) return T.any;
      c.info.actions.add(name);
      base = rootSchemaType(schema);
      where = `the response of action ${name}`;
      break;
    }
    case 'profile':
      base = rootSchemaType(c.scope.profile);
      where = 'the profile';
      break;
    case 'dataSource': {
      const group = node.root[1] ?? '';
      const ds = c.scope.dataSources;
      const groups = ds && Object.hasOwn(ds, name) ? ds[name] : undefined;
      if (ds && !groups) {
        c.error(
          DiagnosticCode.UnknownDataSource,
          `Unknown data source "${name}"`,
          node.rootSpan,
          Object.keys(ds).join(', '),
          name,
        );
        return T.any;
      }
      const schema = groups && Object.hasOwn(groups, group) ? groups[group] : undefined;
      if (groups && !schema) {
        c.error(
          DiagnosticCode.UnknownDataSource,
          `Unknown field group "${group}" in data source "${name}"`,
          node.rootSpan,
          Object.keys(groups).join(', '),
          group,
        );
        return T.any;
      }
      base = rootSchemaType(schema);
      where = `data source ${name}.${group}`;
      break;
    }
  }
  for (const p of node.params ?? []) c.check(p.value);
  const t = applySteps(c, base, node.steps, CURRENT_FOR[node.source], where);
  checkDefault(c, node, t);
  return t;
}

export function checkDefault(c: Checker, node: Node & { kind: 'ref' }, fieldT: Type): void {
  const d = node.defaultValue;
  if (!d) return;
  if (d.kind === 'call') {
    c.error(
      DiagnosticCode.ParenthesesRequired,
      `A function call used as a default value must be in parentheses: defaultValue: (${c.source.slice(d.span.offset, d.span.offset + d.span.length)})`,
      d.span,
      '(function call)',
      'function call',
    );
  }
  const dt = c.check(d);
  if (!assignable(dt, fieldT)) {
    c.error(
      DiagnosticCode.InvalidDefault,
      `The default value must have the field's type: expected ${typeName(fieldT)}, found ${typeName(dt)}`,
      d.span,
      typeName(fieldT),
      typeName(dt),
    );
  }
}

/** Applies path steps, projecting fields over lists. */
export function applySteps(
  c: Checker,
  start: Type,
  steps: readonly Step[],
  origin: CurrentField | undefined,
  where: string,
): Type {
  let t = start;
  let path = '';
  for (const step of steps) {
    t = step.kind === 'field' ? fieldStep(c, t, step, where, path) : methodStep(c, t, step, origin);
    c.info.stepTypes.set(step, t);
    const text =
      step.kind === 'field'
        ? step.name
        : c.source
            .slice(step.span.offset, step.span.offset + step.span.length)
            .replace(/\s+/g, ' ');
    path = path ? `${path}.${text}` : text;
    if (t.kind === 'any' && step.kind === 'method') continue;
  }
  return t;
}

export function fieldStep(
  c: Checker,
  t: Type,
  step: Step & { kind: 'field' },
  where: string,
  path: string,
): Type {
  if (t.kind === 'list') {
    const inner = fieldStep(c, t.element, step, where, path);
    return inner.kind === 'list' ? inner : listOf(inner);
  }
  if (t.kind === 'any' || t.kind === 'null') return T.any;
  if (t.kind === 'primitive') {
    c.error(
      DiagnosticCode.UnknownField,
      `Cannot read field "${step.name}" of ${path || where}: it is ${typeName(t)}, not an object`,
      step.span,
      'object',
      typeName(t),
    );
    return T.any;
  }
  const r = fieldType(t, step.name);
  if (r.ok) return r.type;
  const at = path ? ` at ${path}` : '';
  c.error(
    DiagnosticCode.UnknownField,
    `Unknown field "${step.name}" in ${where}${at}${r.known.length ? `; known fields: ${r.known.slice(0, 20).join(', ')}` : ''}`,
    step.span,
    r.known.length ? `one of ${r.known.slice(0, 20).join(', ')}` : 'no field',
    step.name,
  );
  return T.any;
}

export function methodStep(
  c: Checker,
  t: Type,
  step: Step & { kind: 'method' },
  origin: CurrentField | undefined,
): Type {
  const argc = step.args.length;
  const arity = (min: number, max: number): boolean => {
    if (argc >= min && argc <= max) return true;
    const want = min === max ? `${min}` : `${min} to ${max}`;
    c.error(
      DiagnosticCode.ArgumentCount,
      `${step.name}() takes ${want} argument${max === 1 ? '' : 's'}, found ${argc}`,
      step.span,
      want,
      String(argc),
    );
    for (const a of step.args) c.check(a);
    return false;
  };
  const needList = (): Type | undefined => {
    if (t.kind === 'list') return t.element;
    if (isLoose(t)) return T.any;
    c.error(
      DiagnosticCode.TypeMismatch,
      `${step.name}() applies to a list, found ${typeName(t)}`,
      step.span,
      'list',
      typeName(t),
    );
    return undefined;
  };
  switch (step.name) {
    case 'at': {
      if (!arity(1, 1)) return T.any;
      const element = needList();
      const it = c.check(step.args[0] as Node);
      if (!isLoose(it) && !isPrim(it, 'integer')) {
        c.error(
          DiagnosticCode.ArgumentType,
          `at() takes an integer index, found ${typeName(it)}`,
          (step.args[0] as Node).span,
          'integer',
          typeName(it),
        );
      }
      return element ?? T.any;
    }
    case 'all':
    case 'first':
    case 'last': {
      if (!arity(0, 1)) return T.any;
      const element = needList();
      const cond = step.args[0];
      if (cond) {
        c.frames.push({ element: element ?? T.any, expected: origin });
        try {
          c.expectBoolean(c.check(cond), cond.span, `the condition of ${step.name}()`);
        } finally {
          c.frames.pop();
        }
      }
      if (!element) return T.any;
      return step.name === 'all' ? t : element;
    }
    case 'entry': {
      if (!arity(1, 1)) return T.any;
      const kt = c.check(step.args[0] as Node);
      if (!isLoose(kt) && !isPrim(kt, 'string')) {
        c.error(
          DiagnosticCode.ArgumentType,
          `entry() takes a string key, found ${typeName(kt)}`,
          (step.args[0] as Node).span,
          'string',
          typeName(kt),
        );
      }
      if (t.kind === 'map') return t.value;
      if (t.kind === 'object') {
        const key = literalValue(step.args[0] as Node);
        if (typeof key === 'string') {
          const r = fieldType(t, key);
          if (r.ok) return r.type;
        }
        return T.any;
      }
      if (!isLoose(t))
        c.error(
          DiagnosticCode.TypeMismatch,
          `entry() applies to a map, found ${typeName(t)}`,
          step.span,
          'map',
          typeName(t),
        );
      return T.any;
    }
    case 'firstEntryKey':
    case 'keys': {
      if (!arity(0, 0)) return T.any;
      if (!isLoose(t) && t.kind !== 'map' && t.kind !== 'object') {
        c.error(
          DiagnosticCode.TypeMismatch,
          `${step.name}() applies to a map, found ${typeName(t)}`,
          step.span,
          'map',
          typeName(t),
        );
      }
      return step.name === 'keys' ? listOf(T.string) : T.string;
    }
    default:
      c.error(DiagnosticCode.Syntax, `Unknown method ${step.name}()`, step.span);
      return T.any;
  }
}
