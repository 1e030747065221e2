// Email, push and SMS activities: channel configuration, content (apply a content template, edit as
// code, preview) and the business rule set.
import { useState } from 'react';
import type { MessageNode } from '@waymark/shared/model/journey.ts';
import { EmailBodyButton, PersonalizedInput } from '../../designer/host-journey.tsx';
import { ContentPreview } from '../../objects/content-preview.tsx';
import { CodeEditor } from '../../expr/code-editor.tsx';
import { DecisionInsert } from './decision-insert.tsx';
import { ConfigurationField } from './configuration-field.tsx';
import { CodeBasedPanel, InAppPanel } from './in-app-panel.tsx';
import type { PanelProps } from './side-panel.tsx';

const QUICK_FIELDS: Record<MessageNode['kind'], string[]> = {
  email: ['html'],
  push: ['title', 'body', 'deepLink'],
  sms: ['text'],
  inApp: [],
  codeBased: [],
};

export function MessagePanel(p: PanelProps<MessageNode>) {
  // In-app and code-based content is edited as fields of their own (in-app-panel.tsx).
  if (p.node.kind === 'inApp') return <InAppPanel {...p} />;
  if (p.node.kind === 'codeBased') return <CodeBasedPanel {...p} />;
  return <ProviderMessagePanel {...p} />;
}

function ProviderMessagePanel(p: PanelProps<MessageNode>) {
  const n = p.node;
  const [json, setJson] = useState<string | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [templateKey, setTemplateKey] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const templates = p.catalog.contentTemplates.filter(
    (t) => !t.spec.channel || t.spec.channel === n.kind,
  );
  const content = n.content;
  const text = json ?? JSON.stringify(content, null, 2);
  return (
    <>
      <ConfigurationField {...p} />
      {n.kind === 'email' && <p className="muted small">Tracking of opens and clicks is on.</p>}
      <label>
        Business rule set
        <select
          name="rule-set"
          value={n.ruleSet ?? ''}
          onChange={(e) => {
            const { ruleSet: _r, ...rest } = n;
            p.onChange(e.target.value ? { ...n, ruleSet: e.target.value } : rest);
          }}
        >
          <option value="">None</option>
          {p.catalog.ruleSets.map((r) => (
            <option key={r.key} value={r.key}>
              {r.key}
            </option>
          ))}
        </select>
      </label>
      <h3>Content</h3>
      <div className="row">
        <select
          aria-label="Content template"
          value={templateKey}
          onChange={(e) => setTemplateKey(e.target.value)}
        >
          <option value="">
            {templates.length ? 'Apply content template…' : 'No content template for this channel'}
          </option>
          {templates.map((t) => (
            <option key={t.key} value={t.key}>
              {t.spec.name ?? t.key}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!templateKey}
          onClick={() => {
            const t = templates.find((x) => x.key === templateKey);
            // The template's key goes with its copy (as applyContentTemplate does): the designer reads its locks from it.
            if (t?.spec.content) {
              p.onChange({
                ...n,
                content: {
                  ...t.spec.content,
                  template: typeof t.spec['id'] === 'string' ? t.spec['id'] : t.key,
                },
              });
              setJson(null);
            }
          }}
        >
          Confirm
        </button>
      </div>
      <label>
        Language settings (translations)
        <select
          name="language-settings"
          value={typeof content['languageSettings'] === 'string' ? content['languageSettings'] : ''}
          onChange={(e) => {
            const { languageSettings: _l, ...rest } = content;
            p.onChange({
              ...n,
              content: e.target.value ? { ...rest, languageSettings: e.target.value } : rest,
            });
            setJson(null);
          }}
        >
          <option value="">None: one language</option>
          {p.catalog.languageSettings.map((l) => (
            <option key={l.key} value={l.key}>
              {l.key}
            </option>
          ))}
        </select>
      </label>
      {n.kind === 'email' && (
        <>
          <PersonalizedInput {...p} field="subject" label="Subject" />
          <PersonalizedInput {...p} field="preheader" label="Preheader" />
          {/* Read only, the side panel shows it outside its disabled fieldset (a disabled fieldset disables its buttons). */}
          {!p.readOnly && <EmailBodyButton {...p} />}
        </>
      )}
      {/* A designed email's body is its document: the one-line HTML input is for emails without one. */}
      {QUICK_FIELDS[n.kind]
        .filter((f) => !(n.kind === 'email' && f === 'html' && content['document']))
        .map((f) => (
          <label key={f}>
            {f[0]!.toUpperCase() + f.slice(1)}
            <input
              name={`content-${f}`}
              value={typeof content[f] === 'string' ? (content[f] as string) : ''}
              onChange={(e) => {
                p.onChange({ ...n, content: { ...content, [f]: e.target.value } });
                setJson(null);
              }}
            />
          </label>
        ))}
      {(n.kind === 'push' || n.kind === 'sms') && (
        <DecisionInsert
          node={n}
          catalog={p.catalog}
          readOnly={p.readOnly === true}
          onChange={(next) => {
            p.onChange(next);
            setJson(null);
          }}
        />
      )}
      <details>
        <summary>Edit content as code</summary>
        <CodeEditor
          label="Message content (JSON)"
          language="json"
          value={text}
          minHeight={120}
          onChange={(v) => {
            setJson(v);
            try {
              const parsed = JSON.parse(v) as unknown;
              if (typeof parsed === 'object' && parsed && !Array.isArray(parsed)) {
                setJsonError(null);
                p.onChange({ ...n, content: parsed as Record<string, unknown> });
              } else setJsonError('the content is a JSON object');
            } catch (e) {
              setJsonError(e instanceof Error ? e.message : String(e));
            }
          }}
        />
        {jsonError && (
          <p className="error small" role="alert">
            {jsonError}
          </p>
        )}
      </details>
      <button type="button" onClick={() => setPreviewing(!previewing)}>
        {previewing ? 'Hide preview' : 'Preview'}
      </button>
      {previewing && <ContentPreview channel={n.kind} content={content} />}
    </>
  );
}
