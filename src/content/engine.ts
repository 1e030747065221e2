// The Handlebars environment: an isolated instance, our bounded `each`, `let`, and the function
// library registered as helpers. Templates compile with knownHelpersOnly (an unknown helper is a
// compile error) and run with prototype access off; a missing value renders as empty.
import Handlebars from 'handlebars';
import { allFunctions } from './functions/index.ts';
import { chargeWork, countIteration, sizeOf, uncount, type RenderState } from './render-state.ts';
import { checkSize, LimitExceeded } from './limits.ts';
import { isRecord, str } from './functions/types.ts';
import { installMeter } from './meter.ts';

type HelperOptions = Handlebars.HelperOptions & {
  data: { wm: RenderState; root: Record<string, unknown> } & Record<string, unknown>;
};

export const hb = Handlebars.create();

/**
 * HTML escaping of {{ }}: & < > " ' (element text and quoted attributes, which is all MJML and our
 * templates produce). Handlebars also escapes ` and =, which mangles URLs and base64 in output for no
 * gain in quoted contexts. Handlebars keeps this function in its shared Utils, so this is process-wide.
 */
const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};
const needsEscape = /[&<>"']/;
function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && typeof (value as { toHTML?: unknown }).toHTML === 'function')
    return String((value as { toHTML: () => unknown }).toHTML());
  const s =
    typeof value === 'string'
      ? value
      : value === false || value === true || typeof value === 'number'
        ? String(value)
        : String(value);
  return needsEscape.test(s) ? s.replace(/[&<>"']/g, (c) => escapes[c] ?? c) : s;
}
(Handlebars.Utils as unknown as { escapeExpression: (v: unknown) => string }).escapeExpression =
  escapeHtml;
// Denied prototype lookups are logged by Handlebars; they render empty here, which is what we want.
(hb as unknown as { logger: { level: number } }).logger.level = 99;

/** Names that can never be read from data, whatever the template says. */
export const forbiddenSegments = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Block helpers the language offers besides the functions. */
export const blockHelpers = new Set(['each', 'if', 'unless', 'with']);
/** Helpers used by compiled `{% %}` tags or by ordinary templates that are not functions. */
export const specialHelpers = new Set(['lookup', '__let', '__silent', '__variant']);

function optionsOf(args: unknown[]): HelperOptions {
  return args[args.length - 1] as HelperOptions;
}

type Env = ReturnType<typeof Handlebars.create>;

/**
 * Handlebars copies and wraps every registered helper on each template call, so each template runs
 * in an environment holding only the helpers it uses (shared between templates using the same set).
 */
function populate(env: Env, functions: readonly string[]): void {
  (env as unknown as { logger: { level: number } }).logger.level = 99;
  installMeter(env);
  env.registerHelper('each', function (this: unknown, context: unknown, options: HelperOptions) {
    const state = options.data.wm;
    const data = env.createFrame(options.data) as Record<string, unknown>;
    let out = '';
    const run = (value: unknown, key: string | number, index: number, last: boolean): void => {
      countIteration(state);
      data['key'] = key;
      data['index'] = index;
      data['first'] = index === 0;
      data['last'] = last;
      out += options.fn(value, { data, blockParams: [value, key] });
      if (out.length > state.limits.maxOutputChars) {
        throw new LimitExceeded(
          'maxOutputChars',
          `a loop renders more than ${state.limits.maxOutputChars} characters`,
          state.limits.maxOutputChars,
        );
      }
    };
    try {
      if (Array.isArray(context)) {
        for (let i = 0; i < context.length; i++) run(context[i], i, i, i === context.length - 1);
      } else if (isRecord(context)) {
        const keys = Object.keys(context);
        keys.forEach((k, i) => run(context[k], k, i, i === keys.length - 1));
      }
    } catch (e) {
      throw located(e, state, options);
    }
    const result =
      out === '' && !(Array.isArray(context) && context.length > 0) ? options.inverse(this) : out;
    uncount(state, result);
    return result;
  });

  // The built-in blocks return what their inner program wrote: take it off the meter (render-state.ts).
  // Handlebars' `unless` calls `if` with options of its own (no data): only the outer call uncounts.
  for (const name of ['if', 'unless', 'with'] as const) {
    const builtin = env.helpers[name] as (this: unknown, ...args: unknown[]) => unknown;
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      // The usual call (one argument and the options) without spreading; anything else as given, for Handlebars' own errors.
      const result =
        args.length === 2 ? builtin.call(this, args[0], args[1]) : builtin.apply(this, args);
      const state = (args[args.length - 1] as Partial<HelperOptions> | undefined)?.data?.wm;
      if (state !== undefined) uncount(state, result);
      return result;
    });
  }

  /** `{% let name = value %}`: sets a template-global variable (read back as @root.name). */
  env.registerHelper('__let', function (name: unknown, value: unknown, options: HelperOptions) {
    if (typeof name === 'string') {
      const state = options.data.wm;
      try {
        checkSize(
          state.limits,
          'maxValueChars',
          typeof value === 'string' ? value.length : 0,
          `the value of "${name}"`,
        );
        checkSize(
          state.limits,
          'maxListItems',
          Array.isArray(value) ? value.length : 0,
          `the value of "${name}"`,
        );
      } catch (e) {
        throw located(e, state, options);
      }
      options.data.root[name] = value;
    }
    return '';
  });

  /** Runs a block for its `let` side effects only (fragments used with render=false). */
  env.registerHelper('__silent', function (this: unknown, options: HelperOptions) {
    uncount(options.data.wm, options.fn(this));
    return '';
  });

  /** Records which conditional-content variant a block showed. */
  env.registerHelper('__variant', function (block: unknown, name: unknown, options: HelperOptions) {
    const state = options.data.wm;
    (state.chosen ??= {})[String(block)] = String(name);
    return '';
  });

  for (const name of functions) {
    const f = allFunctions[name];
    if (f === undefined) continue;
    if (name === 'executionMetadata') {
      env.registerHelper(name, captureMetadata);
      continue;
    }
    env.registerHelper(name, function (...args: unknown[]) {
      const options = optionsOf(args);
      const positional = args.slice(0, -1);
      const state = options.data.wm;
      try {
        let units = 1;
        for (const a of positional) units += sizeOf(a);
        chargeWork(state, units, `${name}()`);
        const result = f.call(positional, state);
        const size = sizeOf(result);
        if (size > 0) {
          chargeWork(state, size, `${name}()`);
          checkSize(
            state.limits,
            Array.isArray(result) ? 'maxListItems' : 'maxValueChars',
            size,
            `${displayName(name)} result`,
          );
        }
        return result;
      } catch (e) {
        throw located(e, state, options);
      }
    });
  }
}

const METADATA_KEY = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_METADATA_KEYS = 20;
export const MAX_METADATA_VALUE = 255;

/**
 * `{{executionMetadata key="k" value=v}}` (AJO's helper): keeps the pair with the message sent.
 * A pair that breaks the bounds is left out with a warning (shown by previews and checks), so a
 * send never fails on metadata.
 */
function captureMetadata(...args: unknown[]): string {
  const options = optionsOf(args);
  const state = options.data.wm;
  const hash = (options.hash ?? {}) as Record<string, unknown>;
  const key = hash['key'];
  const value = hash['value'];
  const refuse = (why: string): string => {
    state.warnings.push(`executionMetadata: ${why}`);
    return '';
  };
  if (typeof key !== 'string' || !METADATA_KEY.test(key))
    return refuse(`key="${String(key ?? '')}" is not letters, digits, _ and - (at most 64)`);
  if (value === undefined || value === null) return '';
  const text = str(value);
  if (text.length > MAX_METADATA_VALUE)
    return refuse(`the value of "${key}" is longer than ${MAX_METADATA_VALUE} characters`);
  const metadata = (state.metadata ??= {});
  if (!(key in metadata) && Object.keys(metadata).length >= MAX_METADATA_KEYS)
    return refuse(`more than ${MAX_METADATA_KEYS} keys; "${key}" is left out`);
  metadata[key] = text;
  return '';
}

/** `__add` is the `+` operator of the `{% %}` form; other names are functions. */
const displayName = (name: string): string =>
  name.startsWith('__') ? `the ${name.slice(2)} operator's` : `${name}()`;

/** A bound crossed inside a helper, located at the helper's tag (field and line). */
function located(e: unknown, state: RenderState, options: HelperOptions): unknown {
  if (!(e instanceof LimitExceeded)) return e;
  const loc = (options as { loc?: { start?: { line?: number; column?: number } } }).loc?.start;
  return e.at({
    ...(state.field === undefined ? {} : { field: state.field }),
    ...(loc?.line === undefined ? {} : { line: loc.line }),
  });
}

const envs = new Map<string, Env>();

/** The environment for a template that calls `functions` (names from the function library). */
export function envFor(functions: Iterable<string>): Env {
  const names = [...new Set(functions)].filter((n) => allFunctions[n] !== undefined).sort();
  const key = names.join(',');
  let env = envs.get(key);
  if (env === undefined) {
    env = Handlebars.create();
    populate(env, names);
    envs.set(key, env);
  }
  return env;
}

/**
 * Compile options; each template adds `knownHelpers` (the block helpers plus the functions it uses).
 * `strict` stays off on purpose: Handlebars' strict mode throws on a missing value, and a missing value
 * must render empty. Unknown helpers are still compile errors (knownHelpersOnly) and paths are checked
 * at compile time (checker.ts).
 */
export const compileOptions: CompileOptions = {
  knownHelpersOnly: true,
  strict: false,
  noEscape: false,
  preventIndent: true,
};

/**
 * Runtime options. Prototype properties and methods are denied by Handlebars' defaults (4.6+); passing
 * the same flags explicitly makes Handlebars build access-control tables on every call (half the
 * throughput), so they are left to the defaults, which test/content/minimal.test.ts pins down.
 */
export const runtimeOptions = {} as const;
