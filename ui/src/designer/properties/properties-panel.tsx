// The designer's right column: the properties of the selected structure, column or block (every
// field of the model), its conditional content, and the theme when nothing is selected. Locks of
// the content template a message was made from are shown, not just refused by the server.
import type { Component, LeafBlock } from '@waymark/shared/model/message-content.ts';
import { useDesigner } from '../contracts.ts';
import {
  ButtonEditor,
  CommonStyle,
  DividerEditor,
  HtmlEditor,
  ImageEditor,
  SocialEditor,
  SpacerEditor,
  TextEditor,
} from './block-editors.tsx';
import type { Patch } from './block-editors.tsx';
import { READ_ONLY_MESSAGE, useDesignerReadOnly } from '../read-only.ts';
import { ConditionalSection } from './conditional.tsx';
import {
  findNode,
  lockOf as templateLockOf,
  lockReason,
  replaceNode,
  variantOfColumn,
  withDoc,
} from './doc-edit.ts';
import type { Found } from './doc-edit.ts';
import { DecisionEditor } from './decision-editor.tsx';
import { FragmentEditor } from './fragment-editor.tsx';
import { ColumnEditor, StructureEditor } from './structure-editors.tsx';
import { ThemePanel } from './theme-panel.tsx';
import { useVariantPreview } from './variant-preview.ts';
import './properties.css';

const KIND_LABEL: Record<Component['kind'], string> = {
  text: 'Text',
  image: 'Image',
  button: 'Button',
  divider: 'Divider',
  spacer: 'Spacer',
  social: 'Social links',
  html: 'HTML',
  decision: 'Offer decision',
  fragment: 'Fragment',
  container: 'Container',
};

/** The patch applied to a node: undefined removes a field. */
function patched<T extends object>(node: T, patch: Patch): T {
  const next = { ...node, ...patch } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as T;
}

export interface PropertiesPanelProps {
  /** "Change image": the designer opens the asset drawer to pick an asset for image `imageId` (the selection). */
  readonly onPickAsset?: (imageId: string) => void;
}

export function PropertiesPanel(props: PropertiesPanelProps = {}) {
  const d = useDesigner();
  const found = d.selection ? findNode(d.doc, d.selection) : null;
  if (!found) {
    return (
      <aside className="wm-props" aria-label="Properties">
        <h2>Email settings</h2>
        <ThemePanel />
      </aside>
    );
  }
  return (
    <aside className="wm-props" aria-label="Properties">
      <NodeProperties found={found} onPickAsset={props.onPickAsset} />
    </aside>
  );
}

function NodeProperties({
  found,
  onPickAsset,
}: {
  found: Found;
  onPickAsset?: (id: string) => void;
}) {
  // A live version's email: everything reads as locked (the designer refuses changes anyway).
  const readOnly = useDesignerReadOnly();
  const lockOf = (...a: Parameters<typeof templateLockOf>): ReturnType<typeof templateLockOf> =>
    readOnly ? 'locked' : templateLockOf(...a);
  const d = useDesigner();
  const preview = useVariantPreview();
  const palette = d.doc.theme?.palette ?? [];
  const write = (id: string, fn: (n: never) => unknown, label: string) =>
    d.update((c) => withDoc(c, d.locale, (doc) => replaceNode(doc, id, fn as never)), label);

  if (found.type === 'structure') {
    const s = found.structure;
    const lock = lockOf(d.governance, d.locksApply, s.id, s.id);
    return (
      <>
        <h2>Structure</h2>
        <LockNote lock={lock} />
        <StructureEditor
          structure={s}
          lock={lock}
          palette={palette}
          selectColumn={d.select}
          write={(next, label) => write(s.id, () => next, label)}
        />
        <ConditionalSection
          owner={s}
          readOnly={lock !== 'editable'}
          write={(next, label) => write(s.id, () => next, label)}
        />
      </>
    );
  }
  if (found.type === 'column') {
    const lock = lockOf(d.governance, d.locksApply, found.column.id, found.structure.id);
    const ofVariant = variantOfColumn(found.structure, found.column.id);
    return (
      <>
        <h2>
          Column
          {ofVariant ? <span className="wm-variant-of"> · variant “{ofVariant.name}”</span> : null}
        </h2>
        <button type="button" className="link" onClick={() => d.select(found.structure.id)}>
          ‹ Structure
        </button>
        {ofVariant && (
          <p className="wm-hint">
            Recipients matching “{ofVariant.name}” see this variant's columns instead of the
            structure's default ones.
          </p>
        )}
        <LockNote lock={lock} />
        <ColumnEditor
          column={found.column}
          structure={found.structure}
          lock={lock}
          palette={palette}
          write={(next, label) => write(found.column.id, () => next, label)}
        />
      </>
    );
  }

  const block = found.block;
  const owner = found.owner;
  // A variant's block follows the lock of the block it belongs to.
  const lockId = owner ? owner.block.id : block.id;
  const ownLock = d.governance?.locks[lockId];
  const containerLock =
    found.container && !ownLock ? d.governance?.locks[found.container.id] : undefined;
  const lock = readOnly
    ? 'locked'
    : containerLock && d.locksApply
      ? containerLock
      : lockOf(d.governance, d.locksApply, lockId, found.structure.id);
  const set = (
    patch: Patch | ((current: Readonly<Record<string, unknown>>) => Patch),
    label: string,
  ) =>
    write(
      block.id,
      (b: Component) =>
        patched(
          b,
          typeof patch === 'function' ? patch(b as unknown as Record<string, unknown>) : patch,
        ),
      label,
    );
  const common = { set, lock, palette };
  const variant = owner ? owner.block.variants[owner.index] : undefined;

  return (
    <>
      <h2>
        {KIND_LABEL[block.kind]}
        {variant ? <span className="wm-variant-of"> · variant “{variant.name}”</span> : null}
      </h2>
      <div className="wm-crumbs row">
        <button type="button" className="link" onClick={() => d.select(found.structure.id)}>
          Structure
        </button>
        <button type="button" className="link" onClick={() => d.select(found.column.id)}>
          Column
        </button>
        {found.container && (
          <button type="button" className="link" onClick={() => d.select(found.container!.id)}>
            Container
          </button>
        )}
        {owner && (
          <button
            type="button"
            className="link"
            onClick={() => {
              preview.show(owner.block.id, null);
              d.select(owner.block.id);
            }}
          >
            Back to the default {KIND_LABEL[owner.block.kind].toLowerCase()}
          </button>
        )}
      </div>
      {variant && (
        <p className="wm-hint">
          Recipients matching “{variant.name}” see this {KIND_LABEL[block.kind].toLowerCase()}{' '}
          instead of the default one.
        </p>
      )}
      <LockNote lock={lock} />
      {block.kind === 'text' && <TextEditor block={block} {...common} />}
      {block.kind === 'image' && (
        <ImageEditor block={block} {...common} onPickAsset={onPickAsset} />
      )}
      {block.kind === 'button' && <ButtonEditor block={block} {...common} />}
      {block.kind === 'divider' && <DividerEditor block={block} {...common} />}
      {block.kind === 'spacer' && <SpacerEditor block={block} {...common} />}
      {block.kind === 'social' && <SocialEditor block={block} {...common} />}
      {block.kind === 'html' && <HtmlEditor block={block} {...common} />}
      {block.kind === 'decision' && <DecisionEditor block={block} {...common} />}
      {block.kind === 'fragment' && (
        <FragmentEditor
          block={block}
          {...common}
          replaceWith={
            owner
              ? undefined
              : (blocks: LeafBlock[]) => {
                  write(block.id, () => blocks, 'Break inheritance');
                  d.select(blocks[0]?.id ?? null);
                }
          }
        />
      )}
      <CommonStyle block={block} {...common} background={block.kind !== 'button'} />
      {!owner && (
        <ConditionalSection
          owner={block}
          readOnly={lock !== 'editable'}
          write={(next, label) => write(block.id, () => next, label)}
        />
      )}
      {found.container && !owner && (
        <p className="wm-hint">
          This block is in a container with conditional content: select the container to edit its
          variants.
        </p>
      )}
    </>
  );
}

function LockNote({ lock }: { lock: ReturnType<typeof templateLockOf> }) {
  const readOnly = useDesignerReadOnly();
  if (readOnly)
    return (
      <p className="wm-lock" role="note">
        <strong>Read only · </strong>
        {READ_ONLY_MESSAGE}
      </p>
    );
  const reason = lockReason(lock);
  return reason ? (
    <p className="wm-lock" role="note">
      <strong>Locked · </strong>
      {reason}
    </p>
  ) : null;
}
