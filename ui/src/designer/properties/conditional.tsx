// Conditional content of the selected block, container or structure: variants evaluated top to
// bottom, the first whose condition holds replaces the content, else the default. Each variant has a
// name, a condition (audience membership or an expression, checked by the server when it can) and its
// own content (a block's replacement block; a container's blocks; a structure's columns), edited by
// showing it on the canvas ("Preview as") and selecting it.
import { useState } from 'react';
import type {
  Component,
  Condition,
  LeafBlock,
  Structure,
} from '@waymark/shared/model/message-content.ts';
import { useDialogs } from '../../app/dialog.tsx';
import { useApi } from '../../app/session.tsx';
import { useDesigner } from '../contracts.ts';
import {
  moveItem,
  newStructureVariant,
  plainOf,
  validVariantName,
  withFreshIds,
} from './doc-edit.ts';
import { Section, SelectField, TextField } from './fields.tsx';
import { useVariantPreview } from './variant-preview.ts';

type Container = Extract<Component, { kind: 'container' }>;
type Owner = LeafBlock | Container | Structure;
type AnyVariant = { readonly name: string; readonly condition: Condition };

/** Checks an expression condition on the server (POST /v1/personalization/validate); null when valid or unknown. */
function useConditionCheck() {
  const api = useApi();
  const designer = useDesigner();
  return async (expression: string): Promise<string | null> => {
    const where =
      designer.host.kind === 'journey-activity'
        ? { journeyId: designer.host.journeyId, nodeId: designer.host.nodeId }
        : {};
    try {
      const r = await api.post<{
        valid: boolean;
        diagnostics?: Array<{ severity: string; message: string }>;
      }>('/v1/personalization/validate', { source: `{%#if ${expression} %}x{%/if%}`, ...where });
      if (r.valid) return null;
      return (
        r.diagnostics?.find((d) => d.severity === 'error')?.message ?? 'The condition is not valid.'
      );
    } catch (e) {
      // No such route (404) or no answer: the server checks on save anyway.
      return (e as { status?: number }).status === 422 || (e as { status?: number }).status === 400
        ? String((e as Error).message)
        : null;
    }
  };
}

function VariantRow(p: {
  index: number;
  count: number;
  variant: AnyVariant;
  readOnly: boolean;
  audiences: readonly string[];
  previewing: boolean;
  onChange(v: AnyVariant, label: string): void;
  onMove(to: number): void;
  onDelete(): void;
  onEdit(): void;
  onDragStart(): void;
  onDropHere(): void;
}) {
  const check = useConditionCheck();
  const [exprProblem, setExprProblem] = useState<string | null>(null);
  const c = p.variant.condition;
  const audiences =
    c.kind === 'audience' && c.audience && !p.audiences.includes(c.audience)
      ? [c.audience, ...p.audiences]
      : p.audiences;
  const setCondition = (cond: Condition) =>
    p.onChange({ ...p.variant, condition: cond }, 'Variant condition');
  return (
    <li
      role="group"
      aria-label={`Variant ${p.index + 1}`}
      className={`wm-variant${p.previewing ? ' previewing' : ''}`}
      draggable={!p.readOnly}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', `variant ${p.index}`);
        e.dataTransfer.effectAllowed = 'move';
        p.onDragStart();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        p.onDropHere();
      }}
    >
      <div className="wm-variant-head">
        <span aria-hidden="true" className="wm-grip">
          ⠿
        </span>
        <strong>
          {p.index + 1}. {p.variant.name}
        </strong>
      </div>
      <TextField
        label="Name"
        value={p.variant.name}
        optional={false}
        readOnly={p.readOnly}
        validate={validVariantName}
        onChange={(v) => {
          if (v && !validVariantName(v))
            p.onChange({ ...p.variant, name: v.trim() }, 'Rename variant');
        }}
      />
      <SelectField
        label="Condition"
        value={c.kind}
        readOnly={p.readOnly}
        options={[
          ['audience', 'Audience membership'],
          ['expression', 'Expression'],
        ]}
        onChange={(k) =>
          setCondition(
            k === 'expression'
              ? { kind: 'expression', expression: 'true' }
              : { kind: 'audience', audience: p.audiences[0] ?? 'audience', status: 'realized' },
          )
        }
      />
      {c.kind === 'audience' ? (
        <SelectField
          label="Audience"
          value={c.audience}
          readOnly={p.readOnly}
          options={audiences.map((a) => [a, a] as const)}
          onChange={(a) => {
            if (a) setCondition({ ...c, audience: a });
          }}
        />
      ) : (
        <div
          onBlur={() => {
            void check(c.expression).then(setExprProblem);
          }}
        >
          <TextField
            label="Expression"
            value={c.expression}
            optional={false}
            readOnly={p.readOnly}
            placeholder='profile.person.gender = "female"'
            onChange={(v) => {
              setExprProblem(null);
              if (v) setCondition({ kind: 'expression', expression: v });
            }}
          />
          {exprProblem && (
            <span className="field-error" role="alert">
              {exprProblem}
            </span>
          )}
        </div>
      )}
      <div className="row wm-variant-actions">
        <button type="button" onClick={p.onEdit} aria-pressed={p.previewing}>
          Edit content
        </button>
        <button
          type="button"
          disabled={p.readOnly || p.index === 0}
          onClick={() => p.onMove(p.index - 1)}
        >
          Move up
        </button>
        <button
          type="button"
          disabled={p.readOnly || p.index === p.count - 1}
          onClick={() => p.onMove(p.index + 1)}
        >
          Move down
        </button>
        <button type="button" className="danger" disabled={p.readOnly} onClick={p.onDelete}>
          Delete variant
        </button>
      </div>
    </li>
  );
}

/** What "Edit default content" selects: a container's first block, a structure's first column, else the block. */
const defaultTarget = (owner: Owner): string =>
  (owner.kind === 'container'
    ? owner.blocks[0]?.id
    : owner.kind === 'structure'
      ? owner.columns[0]?.id
      : undefined) ?? owner.id;

/** The conditional content section of a leaf block, a container or a structure. `write` replaces the owner. */
export function ConditionalSection(p: {
  owner: Owner;
  readOnly: boolean;
  write(next: Owner, label: string): void;
}) {
  const designer = useDesigner();
  const dialogs = useDialogs();
  const preview = useVariantPreview();
  const [dragging, setDragging] = useState<number | null>(null);
  const owner = p.owner;
  const variants: readonly AnyVariant[] = owner.variants;
  const audiences = designer.catalog.audiences.map((a) => a.spec.name ?? a.key);
  const shown = preview.variantOf(owner.id);

  const setVariants = (next: readonly AnyVariant[], label: string) =>
    p.write({ ...owner, variants: next } as Owner, label);
  const newVariant = (n: number): AnyVariant => {
    const name = `Variant ${n}`;
    const condition: Condition = {
      kind: 'audience',
      audience: audiences[0] ?? 'audience',
      status: 'realized',
    };
    if (owner.kind === 'structure') return newStructureVariant(owner, name, condition);
    if (owner.kind === 'container')
      return { name, condition, blocks: owner.blocks.map((b) => withFreshIds(b)) } as AnyVariant;
    return { name, condition, block: withFreshIds(plainOf(owner)) } as AnyVariant;
  };
  const add = () => {
    let n = variants.length + 1;
    while (variants.some((v) => v.name === `Variant ${n}`)) n++;
    setVariants(
      [...variants, newVariant(n)],
      variants.length ? 'Add variant' : 'Enable conditional content',
    );
  };
  const edit = (i: number) => {
    preview.show(owner.id, i);
    const v = variants[i] as AnyVariant & {
      block?: { id: string };
      blocks?: Array<{ id: string }>;
      columns?: Array<{ id: string }>;
    };
    // A structure's variant: its first column (the canvas now shows the variant's columns).
    const target = v.block?.id ?? v.blocks?.[0]?.id ?? v.columns?.[0]?.id;
    if (target) designer.select(target);
  };
  const move = (from: number, to: number) => {
    setVariants(moveItem(variants, from, to), 'Reorder variants');
    // The previewed variant stays previewed wherever it went.
    if (shown !== null)
      preview.show(
        owner.id,
        moveItem(
          variants.map((_, i) => i),
          from,
          to,
        ).indexOf(shown),
      );
  };
  const remove = async (i: number) => {
    const ok = await dialogs.confirm({
      title: `Delete variant “${variants[i]!.name}”?`,
      body: 'Its condition and its content are removed.',
      confirmLabel: 'Delete variant',
      danger: true,
    });
    if (!ok) return;
    if (shown !== null) preview.show(owner.id, null);
    setVariants(
      variants.filter((_, j) => j !== i),
      'Delete variant',
    );
  };
  const disable = async () => {
    const ok = await dialogs.confirm({
      title: 'Disable conditional content?',
      body: 'Every variant is removed; the default content stays.',
      confirmLabel: 'Disable',
      danger: true,
    });
    if (!ok) return;
    preview.show(owner.id, null);
    setVariants([], 'Disable conditional content');
  };

  if (variants.length === 0) {
    return (
      <Section title="Conditional content">
        <p className="muted">
          Show other content to some recipients: by audience or by a condition.
        </p>
        <button type="button" disabled={p.readOnly} onClick={add}>
          Enable conditional content
        </button>
      </Section>
    );
  }
  const defaultName = owner.kind === 'container' ? owner.defaultName : 'Default variant';
  return (
    <Section title="Conditional content">
      <SelectField
        label="Preview as"
        value={shown === null ? 'default' : String(shown)}
        options={[
          ['default', defaultName],
          ...variants.map((v, i) => [String(i), v.name] as const),
        ]}
        onChange={(v) =>
          preview.show(owner.id, v === undefined || v === 'default' ? null : Number(v))
        }
      />
      <p className="wm-hint">
        Variants are checked from the top; the first whose condition holds is shown, else the
        default.
      </p>
      <ol className="wm-variants">
        {variants.map((v, i) => (
          <VariantRow
            key={i}
            index={i}
            count={variants.length}
            variant={v}
            readOnly={p.readOnly}
            audiences={audiences}
            previewing={shown === i}
            onChange={(nv, label) =>
              setVariants(
                variants.map((x, j) => (j === i ? nv : x)),
                label,
              )
            }
            onMove={(to) => move(i, to)}
            onDelete={() => void remove(i)}
            onEdit={() => edit(i)}
            onDragStart={() => setDragging(i)}
            onDropHere={() => {
              if (dragging !== null) move(dragging, i);
              setDragging(null);
            }}
          />
        ))}
      </ol>
      <div className="wm-variant wm-variant-default" role="group" aria-label="Default variant">
        {owner.kind === 'container' ? (
          <TextField
            label="Default variant name"
            value={owner.defaultName}
            optional={false}
            readOnly={p.readOnly}
            validate={validVariantName}
            onChange={(v) => {
              if (v && !validVariantName(v))
                p.write({ ...owner, defaultName: v.trim() }, 'Rename default variant');
            }}
          />
        ) : (
          <strong>{defaultName}</strong>
        )}
        <p className="wm-hint">Shown when no variant's condition holds.</p>
        <button
          type="button"
          aria-pressed={shown === null}
          onClick={() => {
            preview.show(owner.id, null);
            designer.select(defaultTarget(owner));
          }}
        >
          Edit default content
        </button>
      </div>
      <div className="row">
        <button type="button" disabled={p.readOnly} onClick={add}>
          Add variant
        </button>
        <button type="button" disabled={p.readOnly} onClick={() => void disable()}>
          Disable conditional content
        </button>
      </div>
    </Section>
  );
}
