// A landing page's form on the server: the HTML it shows (no script: a plain form that POSTs to the
// page) and the check of what comes back. Pure: a submission becomes either the attribute changes to
// write (a nested patch for a deep merge into the profile) or the issues, one per field, each naming
// the field, what was expected and what came. Nothing is written when there is any issue.
import type { FormField, LandingForm } from '../../model/landing-page.ts';

/** The hidden fields every form carries; a field of the page may not use these names. */
export const CSRF_FIELD = '_csrf';
/** Filled only by robots: the field is off-screen and labelled "leave empty". */
export const HONEYPOT_FIELD = '_website';

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
  readonly expected: string;
  readonly received: string;
}

export type Submission =
  | { readonly ok: true; readonly patch: Record<string, unknown>; readonly email?: string }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** Posted values by field name (a name may repeat; the form reads the last). */
export type Posted = ReadonlyMap<string, readonly string[]>;

export function parsePosted(body: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(body)) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHECKED = new Set(['on', 'y', 'yes', 'true', '1']);

const REQUIRED_EXPECTED = {
  text: 'a value',
  email: 'an email address',
  number: 'a number',
  date: 'a date YYYY-MM-DD',
  select: 'one of the choices',
} as const;

const show = (v: string): string => (v.length > 60 ? `"${v.slice(0, 57)}…"` : `"${v}"`);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const p of parts.slice(0, -1)) {
    const next = at[p];
    if (typeof next === 'object' && next !== null) at = next as Record<string, unknown>;
    else {
      const fresh: Record<string, unknown> = {};
      at[p] = fresh;
      at = fresh;
    }
  }
  at[parts[parts.length - 1]!] = value;
}

/** Where a field writes in the profile's attributes. */
export function fieldPath(f: FormField): string {
  switch (f.kind) {
    case 'attribute':
      return f.path;
    case 'consent':
      return `consents.marketing.${f.channel}`;
    case 'subscription':
      return `consents.subscriptions.${f.list}`;
    case 'preference':
      return `preferences.${f.key}`;
  }
}

type Checked = { value: unknown } | { issue: FieldIssue };

function checkField(f: FormField, raw: string | undefined): Checked {
  const issue = (message: string, expected: string): Checked => ({
    issue: {
      field: f.name,
      message,
      expected,
      received: raw === undefined ? 'nothing' : show(raw),
    },
  });
  switch (f.kind) {
    case 'consent':
    case 'subscription':
      // An unchecked box posts nothing: that is a no.
      if (raw === undefined || raw === '') return { value: 'n' };
      return CHECKED.has(raw.toLowerCase())
        ? { value: 'y' }
        : issue(`${f.label}: a checkbox posts "on" or nothing`, '"on" or nothing');
    case 'preference': {
      const values = f.options.map((o) => o.value);
      if (raw === undefined || raw === '') return { value: undefined };
      return values.includes(raw)
        ? { value: raw }
        : issue(
            `${f.label}: not one of the choices`,
            `one of ${values.map((v) => `"${v}"`).join(', ')}`,
          );
    }
    case 'attribute': {
      const v = (raw ?? '').trim();
      if (v === '')
        return f.required
          ? issue(`${f.label} is required`, REQUIRED_EXPECTED[f.type])
          : { value: undefined };
      if (v.length > f.maxLength)
        return issue(`${f.label} is too long`, `at most ${f.maxLength} characters`);
      switch (f.type) {
        case 'email':
          if (!EMAIL.test(v))
            return issue(`${f.label} is not an email address`, 'an email address');
          break;
        case 'number':
          if (!Number.isFinite(Number(v))) return issue(`${f.label} is not a number`, 'a number');
          return { value: Number(v) };
        case 'date':
          if (!DATE.test(v) || Number.isNaN(Date.parse(v)))
            return issue(`${f.label} is not a date`, 'a date YYYY-MM-DD');
          break;
        case 'select': {
          const values = (f.options ?? []).map((o) => o.value);
          if (!values.includes(v))
            return issue(
              `${f.label}: not one of the choices`,
              `one of ${values.map((x) => `"${x}"`).join(', ')}`,
            );
          break;
        }
        case 'text':
          break;
      }
      if (f.pattern !== undefined && !safeRegex(f.pattern).test(v))
        return issue(`${f.label} does not have the expected form`, `text matching /${f.pattern}/`);
      return { value: v };
    }
  }
}

function safeRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    return /^$/;
  }
}

/** Checks a submission against the form: the patch to deep-merge into the profile, or every issue. */
export function checkSubmission(form: LandingForm, posted: Posted): Submission {
  const issues: FieldIssue[] = [];
  const patch: Record<string, unknown> = {};
  let email: string | undefined;
  const known = new Set([CSRF_FIELD, HONEYPOT_FIELD, ...form.fields.map((f) => f.name)]);
  for (const name of posted.keys())
    if (!known.has(name))
      issues.push({
        field: name,
        message: `the form has no field "${name}"`,
        expected: `one of ${form.fields.map((f) => f.name).join(', ')}`,
        received: show(posted.get(name)?.at(-1) ?? ''),
      });
  for (const f of form.fields) {
    const r = checkField(f, posted.get(f.name)?.at(-1));
    if ('issue' in r) issues.push(r.issue);
    else if (r.value !== undefined) {
      setPath(patch, fieldPath(f), r.value);
      if (f.kind === 'attribute' && f.type === 'email' && email === undefined)
        email = String(r.value).toLowerCase();
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return email === undefined ? { ok: true, patch } : { ok: true, patch, email };
}

/** Names the form fields may not use (the page's own hidden fields). */
export function reservedFieldIssues(form: LandingForm): string[] {
  return form.fields
    .filter((f) => f.name.startsWith('_'))
    .map((f) => `field "${f.name}": names starting with _ are the page's own`);
}

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function readPath(obj: unknown, path: string): unknown {
  let at: unknown = obj;
  for (const p of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[p];
  }
  return at;
}

export interface FormView {
  readonly action: string;
  readonly csrf: string;
  /** The profile's attributes: the fields show their current values. */
  readonly profile: unknown;
  /** What was posted (shown again with the issues). */
  readonly posted?: Posted;
  readonly issues?: readonly FieldIssue[];
  readonly notice?: string;
}

function fieldHtml(f: FormField, v: FormView): string {
  const id = `f-${f.name}`;
  const postedValue = v.posted?.get(f.name)?.at(-1);
  const current = postedValue ?? readPath(v.profile, fieldPath(f));
  const err = v.issues?.find((i) => i.field === f.name);
  const help = f.help ? `<small>${esc(f.help)}</small>` : '';
  const errHtml = err ? `<strong class="lp-error" role="alert">${esc(err.message)}</strong>` : '';
  const invalid = err ? ' aria-invalid="true"' : '';
  switch (f.kind) {
    case 'consent':
    case 'subscription': {
      const on = v.posted ? postedValue !== undefined && postedValue !== '' : current === 'y';
      return `<div class="lp-field lp-check"><input type="checkbox" id="${id}" name="${esc(f.name)}"${on ? ' checked' : ''}${invalid}><label for="${id}">${esc(f.label)}</label>${help}${errHtml}</div>`;
    }
    case 'preference':
      return `<div class="lp-field"><label for="${id}">${esc(f.label)}</label><select id="${id}" name="${esc(f.name)}"${invalid}><option value="">—</option>${f.options
        .map(
          (o) =>
            `<option value="${esc(o.value)}"${current === o.value ? ' selected' : ''}>${esc(o.label)}</option>`,
        )
        .join('')}</select>${help}${errHtml}</div>`;
    case 'attribute': {
      const value = current === undefined || current === null ? '' : String(current);
      const req = f.required ? ' required' : '';
      if (f.type === 'select')
        return `<div class="lp-field"><label for="${id}">${esc(f.label)}</label><select id="${id}" name="${esc(f.name)}"${req}${invalid}><option value="">—</option>${(
          f.options ?? []
        )
          .map(
            (o) =>
              `<option value="${esc(o.value)}"${value === o.value ? ' selected' : ''}>${esc(o.label)}</option>`,
          )
          .join('')}</select>${help}${errHtml}</div>`;
      return `<div class="lp-field"><label for="${id}">${esc(f.label)}</label><input type="${f.type}" id="${id}" name="${esc(f.name)}" value="${esc(value)}" maxlength="${f.maxLength}"${req}${invalid}>${help}${errHtml}</div>`;
    }
  }
}

/** The form's HTML: the fields, the CSRF token, the honeypot and the button. */
export function formHtml(form: LandingForm, v: FormView): string {
  const summary =
    v.issues && v.issues.length > 0
      ? `<div class="lp-issues" role="alert"><p>Please check ${v.issues.length === 1 ? 'this field' : 'these fields'}:</p><ul>${v.issues
          .map(
            (i) =>
              `<li>${esc(i.message)} (expected ${esc(i.expected)}, got ${esc(i.received)})</li>`,
          )
          .join('')}</ul></div>`
      : '';
  const notice = v.notice ? `<p class="lp-notice" role="status">${esc(v.notice)}</p>` : '';
  return `<form class="lp-form" method="post" action="${esc(v.action)}">${notice}${summary}<input type="hidden" name="${CSRF_FIELD}" value="${esc(v.csrf)}"><div class="lp-hp" aria-hidden="true"><label for="lp-hp">Leave this field empty</label><input type="text" id="lp-hp" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>${form.fields
    .map((f) => fieldHtml(f, v))
    .join('')}<button type="submit">${esc(form.submitLabel)}</button></form>`;
}

/** The form's styles (a <style> block: the public pages' policy allows inline styles, never scripts). */
export const FORM_CSS =
  '.lp-form{max-width:560px;margin:24px auto;padding:24px;font:16px/1.5 system-ui,sans-serif;color:#2c2c2c;background:#fff;border-radius:8px;box-sizing:border-box}' +
  '.lp-field{margin:0 0 16px;display:flex;flex-direction:column;gap:4px}.lp-field label{font-weight:600}' +
  '.lp-field input[type=text],.lp-field input[type=email],.lp-field input[type=number],.lp-field input[type=date],.lp-field select{font:inherit;padding:8px;border:1px solid #8e8e8e;border-radius:4px}' +
  '.lp-check{flex-direction:row;align-items:center;flex-wrap:wrap}.lp-check label{font-weight:400}.lp-check input{width:18px;height:18px;margin-right:8px}' +
  '.lp-field small{color:#6e6e6e;width:100%}.lp-error{color:#c9252d;font-weight:600;width:100%}' +
  '.lp-issues{border:1px solid #c9252d;background:#fff0f0;padding:8px 16px;border-radius:4px;margin-bottom:16px}' +
  '.lp-notice{border:1px solid #268e6c;background:#eefaf5;padding:8px 16px;border-radius:4px}' +
  '.lp-form button{font:inherit;padding:8px 20px;border-radius:16px;border:1px solid #1473e6;background:#1473e6;color:#fff;cursor:pointer}' +
  '.lp-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}';
