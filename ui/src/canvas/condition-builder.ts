// The condition form's model: rows (attribute, operator, value; or audience membership) combined
// with all/any, written as journey expression text, and simple expressions read back into rows.
// Pure. An expression the rows cannot represent reads back as null: the editor then shows the
// expression editor only, so nothing typed there is lost to a form that cannot hold it.

export type Operator =
  | 'equals'
  | 'notEquals'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'greater'
  | 'greaterOrEqual'
  | 'less'
  | 'lessOrEqual'
  | 'exists'
  | 'notExists'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'inList';

export type Literal = string | number | boolean;

export type ConditionRow =
  | {
      readonly kind: 'field';
      readonly field: string;
      readonly op: Operator;
      readonly value: Literal | readonly Literal[] | null;
    }
  | { readonly kind: 'audience'; readonly audience: string; readonly member: boolean };

export interface ConditionForm {
  readonly combine: 'all' | 'any';
  readonly rows: readonly ConditionRow[];
}

export const OPERATORS: ReadonlyArray<{
  op: Operator;
  label: string;
  value: 'one' | 'none' | 'list';
}> = [
  { op: 'equals', label: 'equals', value: 'one' },
  { op: 'notEquals', label: 'does not equal', value: 'one' },
  { op: 'contains', label: 'contains', value: 'one' },
  { op: 'startsWith', label: 'starts with', value: 'one' },
  { op: 'endsWith', label: 'ends with', value: 'one' },
  { op: 'greater', label: 'is greater than', value: 'one' },
  { op: 'greaterOrEqual', label: 'is at least', value: 'one' },
  { op: 'less', label: 'is less than', value: 'one' },
  { op: 'lessOrEqual', label: 'is at most', value: 'one' },
  { op: 'inList', label: 'is one of', value: 'list' },
  { op: 'exists', label: 'exists', value: 'none' },
  { op: 'notExists', label: 'does not exist', value: 'none' },
  { op: 'isEmpty', label: 'is empty', value: 'none' },
  { op: 'isNotEmpty', label: 'is not empty', value: 'none' },
];

const COMPARE: Partial<Record<Operator, string>> = {
  equals: '==',
  notEquals: '!=',
  greater: '>',
  greaterOrEqual: '>=',
  less: '<',
  lessOrEqual: '<=',
};
const CALL: Partial<Record<Operator, string>> = {
  contains: 'contain',
  startsWith: 'startWith',
  endsWith: 'endWith',
};

export function literalText(v: Literal): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** What a person typed in a value box, as a literal: numbers and true/false unquoted when `as` says so. */
export function typedValue(text: string, as: 'string' | 'number' | 'boolean' | 'auto'): Literal {
  const t = text.trim();
  if (as === 'number' || (as === 'auto' && /^-?\d+(\.\d+)?$/.test(t)))
    return t !== '' && !Number.isNaN(Number(t)) ? Number(t) : text;
  if (as === 'boolean' || (as === 'auto' && (t === 'true' || t === 'false')))
    return t === 'true' ? true : t === 'false' ? false : text;
  return text;
}

export function rowText(r: ConditionRow): string {
  if (r.kind === 'audience')
    return `${r.member ? '' : 'not '}inAudience(${JSON.stringify(r.audience)})`;
  const f = r.field;
  const one = Array.isArray(r.value) ? (r.value[0] ?? '') : (r.value ?? '');
  switch (r.op) {
    case 'equals':
    case 'notEquals':
    case 'greater':
    case 'greaterOrEqual':
    case 'less':
    case 'lessOrEqual':
      return `${f} ${COMPARE[r.op]!} ${literalText(one as Literal)}`;
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return `${CALL[r.op]!}(${f}, ${literalText(String(one))})`;
    case 'inList': {
      const list = Array.isArray(r.value) ? r.value : r.value === null ? [] : [r.value as Literal];
      return `in(${f}, [${list.map(literalText).join(', ')}])`;
    }
    case 'exists':
      return `${f} is not null`;
    case 'notExists':
      return `${f} is null`;
    case 'isEmpty':
      return `isEmpty(${f})`;
    case 'isNotEmpty':
      return `isNotEmpty(${f})`;
  }
}

/** The form as an expression: rows joined with "and" (all) or "or" (any). */
export function formToExpression(form: ConditionForm): string {
  return form.rows.map(rowText).join(form.combine === 'all' ? ' and ' : ' or ');
}

// ---- reading back -------------------------------------------------------------------------------

const REF = String.raw`(?:@event|@action|@|#)\{[^{}"]+\}`;
const STR = String.raw`"(?:[^"\\]|\\.)*"`;
const NUM = String.raw`-?\d+(?:\.\d+)?`;
const LIT = `(?:${STR}|${NUM}|true|false)`;
const whole = (src: string) => new RegExp(`^${src}$`);

const RE = {
  audience: whole(String.raw`(not\s+)?inAudience\(\s*(${STR})\s*\)`),
  compare: whole(String.raw`(${REF})\s*(==|!=|>=|<=|>|<)\s*(${LIT})`),
  call: whole(String.raw`(contain|startWith|endWith)\(\s*(${REF})\s*,\s*(${STR})\s*\)`),
  inList: whole(String.raw`in\(\s*(${REF})\s*,\s*\[\s*((?:${LIT}\s*(?:,\s*${LIT}\s*)*)?)\]\s*\)`),
  isNull: whole(String.raw`(${REF})\s+is\s+(not\s+)?null`),
  empty: whole(String.raw`(isEmpty|isNotEmpty)\(\s*(${REF})\s*\)`),
};

function parseLiteral(t: string): Literal {
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t === 'true' || t === 'false') return t === 'true';
  return Number(t);
}

const OP_OF: Record<string, Operator> = {
  '==': 'equals',
  '!=': 'notEquals',
  '>': 'greater',
  '>=': 'greaterOrEqual',
  '<': 'less',
  '<=': 'lessOrEqual',
  contain: 'contains',
  startWith: 'startsWith',
  endWith: 'endsWith',
};

function parseRow(term: string): ConditionRow | null {
  const t = term.trim();
  let m = RE.audience.exec(t);
  if (m) return { kind: 'audience', audience: JSON.parse(m[2]!) as string, member: !m[1] };
  m = RE.compare.exec(t);
  if (m) return { kind: 'field', field: m[1]!, op: OP_OF[m[2]!]!, value: parseLiteral(m[3]!) };
  m = RE.call.exec(t);
  if (m)
    return { kind: 'field', field: m[2]!, op: OP_OF[m[1]!]!, value: JSON.parse(m[3]!) as string };
  m = RE.inList.exec(t);
  if (m)
    return {
      kind: 'field',
      field: m[1]!,
      op: 'inList',
      value: splitTop(m[2]!, ',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map(parseLiteral),
    };
  m = RE.isNull.exec(t);
  if (m) return { kind: 'field', field: m[1]!, op: m[2] ? 'exists' : 'notExists', value: null };
  m = RE.empty.exec(t);
  if (m)
    return {
      kind: 'field',
      field: m[2]!,
      op: m[1] === 'isEmpty' ? 'isEmpty' : 'isNotEmpty',
      value: null,
    };
  return null;
}

/** Splits on a separator outside strings, braces, brackets and parentheses. */
function splitTop(text: string, sep: string | RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (depth === 0) {
      if (typeof sep === 'string' && text.startsWith(sep, i)) {
        out.push(text.slice(start, i));
        start = i + sep.length;
        i += sep.length - 1;
      } else if (typeof sep !== 'string') {
        sep.lastIndex = i;
        const m = sep.exec(text);
        if (m && m.index === i) {
          out.push(text.slice(start, i));
          start = i + m[0].length;
          i += m[0].length - 1;
        }
      }
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Reads an expression back into form rows, or null when the form cannot represent it. */
export function expressionToForm(expression: string): ConditionForm | null {
  const text = expression.trim();
  if (text === '') return { combine: 'all', rows: [] };
  const ands = splitTop(text, /\s+and\s+/y);
  const ors = splitTop(text, /\s+or\s+/y);
  if (ands.length > 1 && ors.length > 1) return null;
  const combine = ors.length > 1 ? 'any' : 'all';
  const rows: ConditionRow[] = [];
  for (const term of combine === 'any' ? ors : ands) {
    const r = parseRow(term);
    if (!r) return null;
    rows.push(r);
  }
  return { combine, rows };
}
