// Client-side validation with the server's own zod schema, in plain words at the field: "Enter a
// name", "Choose an identity namespace", "Enter a full URL such as https://…", never "Invalid input".
import { KINDS, REDACTED, secretPaths } from './kinds.ts';
import type { ObjectKindName } from './kinds.ts';
import { bindSpec, humanize, isRaw, walk } from './field-model.ts';
import type { Bound, FieldNode } from './field-model.ts';
import { formatPath, readAt } from './paths.ts';
import type { Path, PathSegment } from './paths.ts';

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** The parts of a zod 4 issue read here (the type is zod's, kept loose: issues nest in unions). */
interface ZIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly input?: unknown;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly note?: string;
  readonly options?: readonly unknown[];
  readonly errors?: readonly (readonly ZIssue[])[];
  readonly issues?: readonly ZIssue[];
}

function article(words: string): string {
  // "an ID", "an SMTP host", "a URL": acronyms by how they are spoken.
  return /^(?:[aeio]|uns)/i.test(words) || /^(?:ID|SMTP|SMS|FCM|HTML|APNs)\b/.test(words)
    ? `an ${words}`
    : `a ${words}`;
}

function lower(label: string): string {
  // Keep acronyms ("URL", "SMTP") as written.
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function list(values: readonly unknown[]): string {
  const words = values.map((v) => String(v));
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** A regex's own message ("letters, digits and _ only") as an instruction. */
function instruction(message: string, label: string): string {
  const m = message.trim();
  if (/^(a|an) /i.test(m)) return `Enter ${m}`;
  if (/^must /i.test(m)) return `${cap(label)} ${m}`;
  if (/^no /i.test(m)) return `${cap(label)} may contain ${m.replace(/^no /i, 'no ')}`;
  if (/^[A-Z]/.test(m)) return m;
  return `Use ${m}`;
}

function emptyMessage(node: FieldNode | undefined, label: string): string {
  if (!node) return `Enter ${article(lower(label))}`;
  if (node.type === 'text' && node.reference) return `Choose ${KINDS[node.reference].noun}`;
  switch (node.type) {
    case 'select':
      return node.options.length <= 4
        ? `Choose ${article(lower(label))}: ${list(node.options.map((o) => o.value))}`
        : `Choose ${article(lower(label))}`;
    case 'multiselect':
      return `Choose at least one ${lower(singularWord(label))}`;
    case 'union':
      return `Choose ${article(lower(label))} type`;
    case 'object':
      return `Fill in "${label}"`;
    case 'array':
      return `Add at least one ${lower(node.itemLabel)}`;
    case 'boolean':
      return `Choose yes or no for ${lower(label)}`;
    case 'number':
      return `Enter a number for ${lower(label)}`;
    default:
      return `Enter ${article(lower(label))}`;
  }
}

function singularWord(label: string): string {
  return /[^s]s$/.test(label) ? label.slice(0, -1) : label;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  object: 'a group of fields',
  array: 'a list',
  record: 'a set of names and values',
};

/** One zod issue in words, knowing the field it is about (when the form has one at that path). */
export function plainMessage(issue: ZIssue, node: FieldNode | undefined, value?: unknown): string {
  const label = node?.label && node.label !== '' ? node.label : humanLast(issue.path);
  // An empty text field gets "Enter …", whatever rule the empty text broke first.
  if (value === '' && (issue.code === 'invalid_format' || issue.code === 'too_small'))
    return emptyMessage(node, label);
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves the input out of its issues: the caller passes the value found at the path.
      if (value === undefined) return emptyMessage(node, label);
      if (issue.expected === 'number' || issue.expected === 'int')
        return `Enter a number for ${lower(label)}`;
      return `${cap(label)} must be ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected ?? 'something else'}`;
    case 'too_small': {
      const min = Number(issue.minimum ?? 0);
      if (issue.origin === 'string')
        return min <= 1
          ? emptyMessage(node, label)
          : `${cap(label)} needs at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') {
        const item = node?.type === 'array' ? lower(node.itemLabel) : 'item';
        return min <= 1
          ? node?.type === 'multiselect'
            ? emptyMessage(node, label)
            : `Add at least one ${item}`
          : `Add at least ${min} ${item}s`;
      }
      return issue.inclusive === false
        ? `${cap(label)} must be more than ${min}`
        : `${cap(label)} must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum ?? 0);
      if (issue.origin === 'string') return `${cap(label)} can be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${cap(label)} can have at most ${max} entries`;
      return issue.inclusive === false
        ? `${cap(label)} must be less than ${max}`
        : `${cap(label)} must be at most ${max}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'Enter a full URL such as https://example.com';
      if (issue.format === 'email') return 'Enter an email address such as name@example.com';
      if (issue.format === 'regex' && !/^Invalid/.test(issue.message))
        return instruction(issue.message, label);
      return `${cap(label)} is not in the expected form`;
    case 'invalid_value': {
      if ((issue.values?.length ?? 0) === 1)
        return `${cap(label)} must be ${String(issue.values?.[0])}`;
      const shown =
        node?.type === 'select'
          ? (issue.values ?? []).map(
              (v) => node.options.find((o) => o.value === v)?.label ?? String(v),
            )
          : (issue.values ?? []);
      return `Choose one of: ${list(shown)}`;
    }
    case 'invalid_union':
      if (issue.note === 'No matching discriminator') {
        // `node` is the union the discriminator belongs to: "Choose an authentication type", "Choose a channel".
        if (node?.type === 'union')
          return node.label !== ''
            ? `Choose ${article(lower(node.label))} type`
            : `Choose ${article(lower(humanize(String(issue.path[issue.path.length - 1] ?? 'type'))))}`;
        return (issue.options?.length ?? 0) > 0
          ? `Choose a type: ${list(issue.options ?? [])}`
          : 'Choose a type';
      }
      return `${cap(label)} does not match any of the allowed forms`;
    case 'unrecognized_keys':
      return `Remove ${issue.keys?.length === 1 ? 'the field' : 'the fields'} ${list((issue.keys ?? []).map((k) => `"${k}"`))}: ${article('object')} of this kind does not have ${issue.keys?.length === 1 ? 'it' : 'them'}`;
    case 'invalid_key':
      return `A key of ${lower(label)} is not valid: ${(issue.issues ?? []).map((i) => plainMessage(i, undefined)).join('; ')}`;
    case 'invalid_element':
      return `An entry of ${lower(label)} is not valid: ${(issue.issues ?? []).map((i) => plainMessage(i, undefined)).join('; ')}`;
    case 'custom':
      return cap(issue.message);
    default:
      return cap(issue.message.replace(/^Invalid input:?\s*/i, '')) || `${cap(label)} is not valid`;
  }
}

function humanLast(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((s) => typeof s === 'string');
  return typeof last === 'string'
    ? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    : 'this field';
}

/** A union without a discriminator failed: the branch the value meant is the one that knows its keys. */
function bestBranch(issue: ZIssue): readonly ZIssue[] {
  const branches = issue.errors ?? [];
  const scored = branches.map((b) => ({
    b,
    score:
      (b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ? 1000 : 0) + b.length,
  }));
  scored.sort((x, y) => x.score - y.score);
  return scored[0]?.b ?? [];
}

function flatten(issues: readonly ZIssue[], prefix: readonly PropertyKey[] = []): ZIssue[] {
  return issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if (
      i.code === 'invalid_union' &&
      i.note !== 'No matching discriminator' &&
      (i.errors?.length ?? 0) > 0
    )
      return flatten(bestBranch(i), path);
    return [{ ...i, path }];
  });
}

/** Bound fields by path text; a union's inner object shares its path, the union wins for "Choose a type". */
export function fieldsByPath(root: Bound): Map<string, Bound> {
  const out = new Map<string, Bound>();
  walk(root, (b) => {
    const key = formatPath(b.path);
    const had = out.get(key);
    if (!had || (had.node.type !== 'union' && !isRaw(b))) out.set(key, b);
  });
  return out;
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((s) => (typeof s === 'number' ? s : String(s)));
}

/** The client-side check of a spec: the server's schema, in words, one message per field. */
export function validateSpec(kind: ObjectKindName, value: Record<string, unknown>): FieldIssue[] {
  const result = KINDS[kind].schema.safeParse(value);
  if (result.success) return [];
  const bound = bindSpec(kind, value);
  const fields = fieldsByPath(bound);
  const secrets = secretPaths(kind, value);
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const issue of flatten(result.error.issues as unknown as ZIssue[])) {
    const segments: Path = toSegments(issue.path);
    const dotted = segments.filter((s) => typeof s === 'string').join('.');
    // A "[redacted]" placeholder keeps the stored secret: the server accepts it.
    if (
      secrets.some(
        (sp) =>
          (dotted === sp || dotted.startsWith(`${sp}.`)) &&
          readAt(value, sp.split('.')) === REDACTED,
      )
    )
      continue;
    const path = formatPath(segments);
    if (seen.has(path)) continue;
    seen.add(path);
    const discriminated =
      issue.code === 'invalid_union' && issue.note === 'No matching discriminator';
    const bound = discriminated ? fields.get(formatPath(segments.slice(0, -1))) : fields.get(path);
    const node =
      bound && bound.node.type === 'union' && issue.code !== 'invalid_union' && !isRaw(bound)
        ? ((bound as { inner?: Bound }).inner?.node ?? bound.node)
        : bound?.node;
    out.push({ path, message: plainMessage(issue, node, readAt(value, segments)) });
  }
  return out;
}
