// String functions. Note the journey spellings: contain, startWith, endWith.
import { compileRegex } from '../regex.ts';
import type { Runtime } from '../runtime.ts';
import { T } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { checkSize, constString, fail } from './helpers.ts';
import type { CallSite, FunctionSpec, Overload, ValidationIssue } from './signature.ts';

const s = (v: ExprValue | undefined): string => v as string;

function pred(
  name: string,
  description: string,
  f: (a: string, b: string) => boolean,
): FunctionSpec {
  return {
    name,
    category: 'string',
    description,
    overloads: [
      {
        params: [
          { name: 'string', type: 'string' },
          { name: 'other', type: 'string' },
        ],
        result: T.boolean,
        impl: ([a, b]) => f(s(a), s(b)),
      },
    ],
  };
}

function unary(
  name: string,
  description: string,
  result: typeof T.string,
  f: (a: string, rt: Runtime, site: CallSite) => ExprValue,
): FunctionSpec {
  return {
    name,
    category: 'string',
    description,
    overloads: [
      {
        params: [{ name: 'string', type: 'string' }],
        result,
        impl: ([a], rt, site) => f(s(a), rt, site),
      },
    ],
  };
}

/** Java's String.trim(): removes leading and trailing characters <= U+0020. */
function javaTrim(v: string): string {
  let a = 0;
  let b = v.length;
  while (a < b && v.charCodeAt(a) <= 32) a++;
  while (b > a && v.charCodeAt(b - 1) <= 32) b--;
  return v.slice(a, b);
}

function regexFor(pattern: string, site: CallSite) {
  const r = compileRegex(pattern);
  if (!r.ok) fail(site, r.message);
  return r.re;
}

const validateRegexArg =
  (i: number) =>
  (site: CallSite): ValidationIssue | undefined => {
    const p = constString(site, i);
    if (p === undefined) return undefined;
    const r = compileRegex(p);
    return r.ok ? undefined : { message: r.message, arg: i };
  };

function bounded(rt: Runtime, site: CallSite, ...texts: string[]): void {
  checkSize(
    rt,
    texts.reduce((n, t) => n + t.length, 0),
    site,
  );
}

const concatOverloads: Overload[] = [
  {
    params: [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string' },
    ],
    variadic: true,
    result: T.string,
    impl: (args, rt, site) => {
      const out = args.map(s).join('');
      checkSize(rt, out.length, site);
      return out;
    },
  },
  {
    params: [{ name: 'list', type: 'list<string>' }],
    result: T.string,
    impl: ([list], rt, site) => {
      const out = (list as readonly ExprValue[]).filter((x) => x !== null).join('');
      checkSize(rt, out.length, site);
      return out;
    },
  },
];

const lower = (v: string): string => v.toLowerCase();

export const stringFunctions: readonly FunctionSpec[] = [
  {
    name: 'concat',
    category: 'string',
    description: 'Concatenates strings, or a list of strings.',
    overloads: concatOverloads,
  },
  pred('contain', 'True when the second string is contained in the first.', (a, b) =>
    a.includes(b),
  ),
  pred('containIgnoreCase', 'contain, ignoring case.', (a, b) => lower(a).includes(lower(b))),
  pred('endWith', 'True when the second string is a suffix of the first.', (a, b) => a.endsWith(b)),
  pred('endWithIgnoreCase', 'endWith, ignoring case.', (a, b) => lower(a).endsWith(lower(b))),
  pred('equalIgnoreCase', 'Equality ignoring case.', (a, b) => lower(a) === lower(b)),
  pred('notEqualIgnoreCase', 'Difference ignoring case.', (a, b) => lower(a) !== lower(b)),
  pred('startWith', 'True when the second string is a prefix of the first.', (a, b) =>
    a.startsWith(b),
  ),
  pred('startWithIgnoreCase', 'startWith, ignoring case.', (a, b) => lower(a).startsWith(lower(b))),
  {
    name: 'indexOf',
    category: 'string',
    description:
      'Position of the first occurrence of the second string in the first, -1 when absent.',
    overloads: [
      {
        params: [
          { name: 'string', type: 'string' },
          { name: 'value', type: 'string' },
        ],
        result: T.integer,
        impl: ([a, b]) => s(a).indexOf(s(b)),
      },
    ],
  },
  {
    name: 'lastIndexOf',
    category: 'string',
    description:
      'Position of the last occurrence of the second string in the first, -1 when absent.',
    overloads: [
      {
        params: [
          { name: 'string', type: 'string' },
          { name: 'value', type: 'string' },
        ],
        result: T.integer,
        impl: ([a, b]) => s(a).lastIndexOf(s(b)),
      },
    ],
  },
  {
    name: 'isEmpty',
    category: 'string',
    description: 'True when the string has no character (false for null).',
    overloads: [
      {
        params: [{ name: 'string', type: 'string' }],
        result: T.boolean,
        acceptsNull: true,
        impl: ([a]) => a === '',
      },
    ],
  },
  {
    name: 'isNotEmpty',
    category: 'string',
    description: 'True when the string has at least one character (false for null).',
    overloads: [
      {
        params: [{ name: 'string', type: 'string' }],
        result: T.boolean,
        acceptsNull: true,
        impl: ([a]) => typeof a === 'string' && a !== '',
      },
    ],
  },
  unary('length', 'Number of characters.', T.integer, (a) => a.length),
  unary('lower', 'The text in lower case.', T.string, (a) => a.toLowerCase()),
  unary('upper', 'The text in upper case.', T.string, (a) => a.toUpperCase()),
  unary('trim', 'Removes leading and trailing spaces.', T.string, (a) => javaTrim(a)),
  {
    name: 'matchRegExp',
    category: 'string',
    description:
      'True when the whole string matches the regular expression (linear-time RE2 engine).',
    overloads: [
      {
        params: [
          { name: 'string', type: 'string' },
          { name: 'regexp', type: 'string' },
        ],
        result: T.boolean,
        validate: validateRegexArg(1),
        impl: ([a, p], rt, site) => {
          bounded(rt, site, s(a));
          return regexFor(s(p), site).matches(s(a));
        },
      },
    ],
  },
  {
    name: 'replace',
    category: 'string',
    description: 'Replaces the first match of the target regular expression.',
    overloads: [
      {
        params: [
          { name: 'base', type: 'string' },
          { name: 'target', type: 'string' },
          { name: 'replacement', type: 'string' },
        ],
        result: T.string,
        validate: validateRegexArg(1),
        impl: ([a, p, r], rt, site) => {
          bounded(rt, site, s(a), s(r));
          return replaceWith(site, () => regexFor(s(p), site).matcher(s(a)).replaceFirst(s(r)));
        },
      },
    ],
  },
  {
    name: 'replaceAll',
    category: 'string',
    description: 'Replaces every match of the target regular expression.',
    overloads: [
      {
        params: [
          { name: 'base', type: 'string' },
          { name: 'target', type: 'string' },
          { name: 'replacement', type: 'string' },
        ],
        result: T.string,
        validate: validateRegexArg(1),
        impl: ([a, p, r], rt, site) => {
          bounded(rt, site, s(a), s(r));
          const out = replaceWith(site, () => regexFor(s(p), site).matcher(s(a)).replaceAll(s(r)));
          checkSize(rt, out.length, site);
          return out;
        },
      },
    ],
  },
  {
    name: 'split',
    category: 'string',
    description:
      'Splits a string around matches of a separator regular expression (trailing empty strings removed).',
    overloads: [
      {
        params: [
          { name: 'input', type: 'string' },
          { name: 'separator', type: 'string' },
        ],
        result: { kind: 'list', element: T.string },
        validate: validateRegexArg(1),
        impl: ([a, p], rt, site) => {
          bounded(rt, site, s(a));
          if (s(a) === '') return [''];
          const parts = regexFor(s(p), site).split(s(a), 0);
          checkSize(rt, parts.length, site);
          return parts;
        },
      },
    ],
  },
  {
    name: 'substr',
    category: 'string',
    description:
      'Substring between a begin index and an optional end index (indices are clamped to the string).',
    overloads: [
      {
        params: [
          { name: 'string', type: 'string' },
          { name: 'beginIndex', type: 'integer' },
          { name: 'endIndex', type: 'integer', optional: true },
        ],
        result: T.string,
        impl: ([a, b, e]) => {
          const str = s(a);
          const clamp = (v: ExprValue | undefined, d: number): number =>
            typeof v === 'number'
              ? Math.max(0, Math.min(str.length, v))
              : typeof v === 'bigint'
                ? v < 0n
                  ? 0
                  : str.length
                : d;
          const begin = clamp(b, 0);
          const end = clamp(e, str.length);
          return end <= begin ? '' : str.slice(begin, end);
        },
      },
    ],
  },
  {
    name: 'uuid',
    category: 'string',
    description: 'A random (version 4) UUID, drawn from the seeded random source.',
    impure: true,
    overloads: [{ params: [], result: T.string, impl: (_args, rt) => uuidFrom(rt.ctx.random) }],
  },
];

function replaceWith(site: CallSite, f: () => string): string {
  try {
    return f();
  } catch (e) {
    return fail(site, `Invalid replacement: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function uuidFrom(random: () => number): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) {
    let n = Math.floor(random() * 16) & 15;
    if (i === 12) n = 4;
    if (i === 16) n = (n & 3) | 8;
    hex.push(n.toString(16));
  }
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
