// A fragment block: which fragment, its editable fields (declared in the fragment's source with
// {{#inline "id" name="Label"}}default{{/inline}}) with their values or personalization, and
// "Break inheritance" (the fragment's blocks copied in, the values applied, no longer live).
import { useEffect, useState } from 'react';
import type { LeafBlock } from '@waymark/shared/model/message-content.ts';
import { leafBlockSchema } from '@waymark/shared/model/message-content.ts';
import { errorText } from '../../api/client.ts';
import { useDialogs } from '../../app/dialog.tsx';
import { useApi } from '../../app/session.tsx';
import { useDesigner } from '../contracts.ts';
import type { EditorProps } from './block-editors.tsx';
import { blockSources, breakInheritance, fragmentFields } from './doc-edit.ts';
import type { FragmentField } from './doc-edit.ts';
import { Section, TextField } from './fields.tsx';
import { chipLabel, tokenize } from './rich-text-model.ts';

type FragmentBlock = Extract<LeafBlock, { kind: 'fragment' }>;
interface Loaded {
  readonly name: string;
  readonly blocks: LeafBlock[] | null;
  readonly fields: FragmentField[];
}

/** What a field's value shows beside the input: its tokens as chips' labels. */
function tokensOf(v: string): string[] {
  return tokenize(v).flatMap((s) => (s.kind === 'token' ? [chipLabel(s.source)] : []));
}

export function FragmentEditor({
  block,
  set,
  lock,
  replaceWith,
}: EditorProps<FragmentBlock> & { replaceWith?: (blocks: LeafBlock[]) => void }) {
  const api = useApi();
  const dialogs = useDialogs();
  const designer = useDesigner();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setLoaded(null);
    setProblem(null);
    api
      .get<{
        key: string;
        spec: { name?: string; content?: { type: string; blocks?: unknown[]; source?: string } };
      }>(`/v1/fragments/${encodeURIComponent(block.fragmentId)}`)
      .then(
        (f) => {
          if (!live) return;
          const c = f.spec.content;
          const blocks =
            c?.type === 'visual'
              ? (c.blocks ?? []).flatMap((b) => {
                  const r = leafBlockSchema.safeParse(b);
                  return r.success ? [r.data] : [];
                })
              : null;
          const fields = fragmentFields(blocks ? blockSources(blocks) : [c?.source ?? '']);
          setLoaded({ name: f.spec.name ?? f.key, blocks, fields });
        },
        (e: unknown) => {
          if (live) setProblem(errorText(e));
        },
      );
    return () => {
      live = false;
    };
  }, [api, block.fragmentId]);

  const fieldsRo = lock === 'locked';
  const setField = (id: string, v: string | undefined, label: string) => {
    set((current) => {
      const next = { ...(current['fields'] as Record<string, string> | undefined) };
      if (v === undefined) delete next[id];
      else next[id] = v;
      return { fields: next };
    }, label);
  };
  const personalize = async (f: FragmentField) => {
    const src = await designer.personalize({
      initial: block.fields[f.id] ?? '',
      mode: 'field',
      title: `${f.label} (${loaded?.name ?? block.fragmentId})`,
    });
    if (src !== null) setField(f.id, src, `Personalize ${f.label}`);
  };
  const breakIt = async () => {
    if (!loaded?.blocks || !replaceWith) return;
    const ok = await dialogs.confirm({
      title: 'Break inheritance?',
      body: `The fragment's blocks are copied into this email with the field values applied. Later changes to “${loaded.name}” will no longer show here.`,
      confirmLabel: 'Break inheritance',
      danger: true,
    });
    if (ok) replaceWith(breakInheritance(loaded.blocks, block.fields));
  };

  return (
    <Section title="Fragment">
      <p className="wm-fragment-name">
        {loaded ? loaded.name : problem ? 'Fragment not found' : 'Loading…'}{' '}
        <code>{block.fragmentId}</code>
      </p>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {loaded &&
        (loaded.fields.length === 0 ? (
          <p className="muted">This fragment has no editable fields.</p>
        ) : (
          <div className="wm-fragment-fields" role="group" aria-label="Editable fields">
            <h4>Editable fields</h4>
            {loaded.fields.map((f) => {
              const current = block.fields[f.id];
              const shown = current ?? f.defaultValue;
              const chips = tokensOf(shown);
              return (
                <div key={f.id} className="wm-fragment-field" role="group" aria-label={f.label}>
                  <TextField
                    label={f.label}
                    value={shown}
                    optional={false}
                    readOnly={fieldsRo}
                    hint={current === undefined ? "The fragment's default" : undefined}
                    onChange={(v) => setField(f.id, v ?? '', `Edit ${f.label}`)}
                  />
                  {chips.length > 0 && (
                    <div className="wm-chips">
                      {chips.map((c, i) => (
                        <span key={i} className="wm-chip">
                          {c}
                        </span>
                      ))}
                    </div>
                  )}
                  <div className="row">
                    <button
                      type="button"
                      aria-label={`Personalize ${f.label}`}
                      disabled={fieldsRo}
                      onClick={() => void personalize(f)}
                    >
                      Personalize
                    </button>
                    {current !== undefined && (
                      <button
                        type="button"
                        aria-label={`Reset ${f.label}`}
                        disabled={fieldsRo}
                        onClick={() => setField(f.id, undefined, `Reset ${f.label}`)}
                      >
                        Reset
                      </button>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        ))}
      {loaded?.blocks && replaceWith && (
        <button type="button" disabled={lock !== 'editable'} onClick={() => void breakIt()}>
          Break inheritance
        </button>
      )}
    </Section>
  );
}
