// A page's form, edited field by field: what each field asks (label, name) and where its answer goes
// (a profile attribute, a channel's consent, a subscription list, a preference), the choices of a
// select or preference one per line, the button's label and the page shown after sending.
import { Fragment } from 'react';
import type { FormField, LandingForm } from '@waymark/shared/model/landing-page.ts';

const KIND_LABEL: Record<FormField['kind'], string> = {
  attribute: 'Profile attribute',
  consent: 'Channel consent',
  subscription: 'Subscription list',
  preference: 'Preference',
};

/** What the details line under a field sets, by what the field writes to. */
const DETAILS_LABEL: Record<FormField['kind'], string> = {
  attribute: 'Attribute path and type',
  consent: 'Consent for',
  subscription: 'List',
  preference: 'Preference key and choices',
};

type Option = { value: string; label: string };

const optionsText = (o: readonly Option[] | undefined): string =>
  (o ?? []).map((x) => (x.label === x.value ? x.value : `${x.value}: ${x.label}`)).join('\n');

const parseOptions = (text: string): Option[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const i = l.indexOf(':');
      return i > 0
        ? { value: l.slice(0, i).trim(), label: l.slice(i + 1).trim() || l.slice(0, i).trim() }
        : { value: l, label: l };
    });

/** A new field of a kind, keeping what the kinds share. */
function fieldOfKind(kind: FormField['kind'], f: { name: string; label: string }): FormField {
  const base = { name: f.name, label: f.label };
  switch (kind) {
    case 'attribute':
      return {
        kind,
        ...base,
        path: 'person.name.firstName',
        type: 'text',
        required: false,
        maxLength: 200,
      };
    case 'consent':
      return { kind, ...base, channel: 'email' };
    case 'subscription':
      return { kind, ...base, list: 'newsletter' };
    case 'preference':
      return { kind, ...base, key: 'frequency', options: [{ value: 'weekly', label: 'Weekly' }] };
  }
}

export const emptyForm = (): LandingForm => ({
  submitLabel: 'Save',
  fields: [{ kind: 'consent', name: 'emailOptIn', label: 'Emails from us', channel: 'email' }],
});

export function FormFields(p: {
  form: LandingForm;
  subPages: readonly { slug: string; name: string }[];
  readOnly: boolean;
  onChange(form: LandingForm | undefined): void;
}) {
  const set = (i: number, f: FormField) =>
    p.onChange({ ...p.form, fields: p.form.fields.map((x, j) => (j === i ? f : x)) });
  const remove = (i: number) => {
    const fields = p.form.fields.filter((_, j) => j !== i);
    p.onChange(fields.length === 0 ? undefined : { ...p.form, fields });
  };
  return (
    <fieldset className="lp-form-fields" disabled={p.readOnly}>
      <legend>Form</legend>
      <table className="grid" aria-label="Form fields">
        <thead>
          <tr>
            <th>Label</th>
            <th>Name</th>
            <th>Writes to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {/* Two lines a field: label, name, what it writes to; then its details across the table. */}
          {p.form.fields.map((f, i) => (
            <Fragment key={i}>
              <tr className="lp-field-main">
                <td>
                  <input
                    aria-label={`Field ${i + 1} label`}
                    value={f.label}
                    onChange={(e) => set(i, { ...f, label: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Field ${i + 1} name`}
                    value={f.name}
                    pattern="[A-Za-z][A-Za-z0-9]*"
                    onChange={(e) => set(i, { ...f, name: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Field ${i + 1} kind`}
                    value={f.kind}
                    onChange={(e) => set(i, fieldOfKind(e.target.value as FormField['kind'], f))}
                  >
                    {Object.entries(KIND_LABEL).map(([k, l]) => (
                      <option key={k} value={k}>
                        {l}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="danger" onClick={() => remove(i)}>
                    Remove
                  </button>
                </td>
              </tr>
              <tr className="lp-field-more">
                <td colSpan={4}>
                  <div className="lp-field-details">
                    <span className="lp-details-caption">{DETAILS_LABEL[f.kind]}</span>
                    <FieldDetails field={f} index={i} onChange={(x) => set(i, x)} />
                  </div>
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="lp-form-foot">
        <button
          type="button"
          onClick={() =>
            p.onChange({
              ...p.form,
              fields: [
                ...p.form.fields,
                fieldOfKind('attribute', {
                  name: `field${p.form.fields.length + 1}`,
                  label: 'New field',
                }),
              ],
            })
          }
        >
          Add field
        </button>
        <label>
          Button
          <input
            value={p.form.submitLabel}
            onChange={(e) => p.onChange({ ...p.form, submitLabel: e.target.value })}
          />
        </label>
        <label>
          After sending, show
          <select
            value={p.form.thankYouPage ?? ''}
            onChange={(e) => {
              const { thankYouPage: _drop, ...rest } = p.form;
              p.onChange(e.target.value ? { ...rest, thankYouPage: e.target.value } : rest);
            }}
          >
            <option value="">this page again, saying it is saved</option>
            {p.subPages.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </div>
    </fieldset>
  );
}

function FieldDetails(p: { field: FormField; index: number; onChange(f: FormField): void }) {
  const f = p.field;
  const n = p.index + 1;
  switch (f.kind) {
    case 'attribute':
      return (
        <>
          <input
            aria-label={`Field ${n} attribute`}
            title="Profile attribute path"
            value={f.path}
            onChange={(e) => p.onChange({ ...f, path: e.target.value })}
          />
          <select
            aria-label={`Field ${n} type`}
            value={f.type}
            onChange={(e) => p.onChange({ ...f, type: e.target.value as typeof f.type })}
          >
            {['text', 'email', 'number', 'date', 'select'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <label className="lp-inline">
            <input
              type="checkbox"
              checked={f.required}
              onChange={(e) => p.onChange({ ...f, required: e.target.checked })}
            />
            Required
          </label>
          {f.type === 'select' && (
            <textarea
              aria-label={`Field ${n} choices`}
              placeholder="value: Label (one per line)"
              value={optionsText(f.options)}
              onChange={(e) => p.onChange({ ...f, options: parseOptions(e.target.value) })}
            />
          )}
        </>
      );
    case 'consent':
      return (
        <select
          aria-label={`Field ${n} channel`}
          value={f.channel}
          onChange={(e) => p.onChange({ ...f, channel: e.target.value as typeof f.channel })}
        >
          <option value="email">Email</option>
          <option value="sms">SMS</option>
          <option value="push">Push</option>
        </select>
      );
    case 'subscription':
      return (
        <input
          aria-label={`Field ${n} list`}
          title="Subscription list"
          value={f.list}
          onChange={(e) => p.onChange({ ...f, list: e.target.value })}
        />
      );
    case 'preference':
      return (
        <>
          <input
            aria-label={`Field ${n} preference`}
            title="Preference key"
            value={f.key}
            onChange={(e) => p.onChange({ ...f, key: e.target.value })}
          />
          <textarea
            aria-label={`Field ${n} choices`}
            placeholder="value: Label (one per line)"
            value={optionsText(f.options)}
            onChange={(e) => p.onChange({ ...f, options: parseOptions(e.target.value) })}
          />
        </>
      );
  }
}
