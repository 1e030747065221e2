// The designer on object pages: an email content template (its governance locks are edited with
// it) and a visual fragment (its blocks as a one-structure document). "Save" writes the object
// through the object API with the revision it was read at (If-Match); a conflict is shown, not lost.
import { useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { EmailContent, LeafBlock } from '@waymark/shared/model/message-content.ts';
import type { Governance } from '@waymark/shared/model/content-template.ts';
import type { StoredObject } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { EMPTY_CATALOG, loadCatalog } from '../canvas/catalog.ts';
import { objectApi } from '../objects/object-api.ts';
import type { DesignerHost } from './contracts.ts';
import { Designer } from './designer.tsx';
import { fragmentBlocks, fragmentDocument } from './doc-ops.ts';
import { emailContentOf } from './host-journey.tsx';

type Spec = Record<string, unknown>;

/** "Open in designer" for an email content template or a visual fragment; nothing for other objects. */
export function OpenInDesigner(p: {
  kind: 'content-templates' | 'fragments';
  object: StoredObject;
  draft: Spec | null;
  onSaved(): void;
}) {
  const [open, setOpen] = useState(false);
  const spec = p.draft ?? p.object.spec;
  if (p.kind === 'content-templates' && spec['channel'] !== 'email') return null;
  if (
    p.kind === 'fragments' &&
    (spec['content'] as { type?: string } | undefined)?.type !== 'visual'
  )
    return null;
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        Open in designer
      </button>
      {open &&
        createPortal(
          <ObjectDesigner {...p} spec={spec} onClose={() => setOpen(false)} />,
          document.body,
        )}
    </>
  );
}

function ObjectDesigner(p: {
  kind: 'content-templates' | 'fragments';
  object: StoredObject;
  spec: Spec;
  onSaved(): void;
  onClose(): void;
}) {
  const api = useApi();
  const catalog = useLoad(() => loadCatalog(api), [api]).data ?? EMPTY_CATALOG;
  // Each save moves the revision on: the next one must name it.
  const revision = useRef(p.object.revision);
  const base = useRef(p.spec);
  const host = useMemo<DesignerHost>(
    () =>
      p.kind === 'content-templates'
        ? { kind: 'content-template', key: p.object.key }
        : { kind: 'fragment', key: p.object.key },
    [p.kind, p.object.key],
  );
  const content = useMemo<EmailContent>(() => {
    if (p.kind === 'content-templates') return emailContentOf((p.spec['content'] ?? {}) as Spec);
    const blocks = (p.spec['content'] as { blocks?: LeafBlock[] } | undefined)?.blocks ?? [];
    return { channel: 'email', subject: '', html: '', document: fragmentDocument(blocks) };
  }, [p.kind, p.spec]);
  const governance =
    p.kind === 'content-templates' ? (p.spec['governance'] as Governance | undefined) : undefined;
  async function save(c: EmailContent, g: Governance | undefined) {
    const next: Spec =
      p.kind === 'content-templates'
        ? { ...base.current, content: c, ...(g ? { governance: g } : {}) }
        : {
            ...base.current,
            content: { type: 'visual', blocks: fragmentBlocks(c.document ?? fragmentDocument([])) },
          };
    const r = await objectApi(api).save(p.kind, p.object.key, next, revision.current);
    revision.current = r.revision;
    base.current = r.spec;
    p.onSaved();
  }
  const name = typeof p.spec['name'] === 'string' ? p.spec['name'] : p.object.key;
  return (
    <Designer
      host={host}
      title={name}
      content={content}
      catalog={catalog}
      applyLabel="Save"
      {...(governance ? { governance } : {})}
      onApply={save}
      onClose={p.onClose}
    />
  );
}
