// The designer in a journey's email activity: "Edit email body" opens it on the node's content; Done
// writes the content back into the journey draft (the journey editor saves the draft as usual). The
// subject and preheader stay in the side panel, each with a personalization button. A live or closed
// version (the panel is read only) gets "View email body": the designer opens read only.
import { useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import type { MessageNode } from '@waymark/shared/model/journey.ts';
import type { EmailContent, EmailTheme } from '@waymark/shared/model/message-content.ts';
import type { Governance } from '@waymark/shared/model/content-template.ts';
import type { PanelProps } from '../canvas/panels/side-panel.tsx';
import type { Catalog } from '../canvas/catalog.ts';
import type { DesignerHost } from './contracts.ts';
import { Designer } from './designer.tsx';
import { PersonalizationDialog } from './drawers/personalization-dialog.tsx';
import { EMPTY_DOCUMENT } from './doc-ops.ts';

/** The journey's id: the side panel is not told it, the page address is /journeys/<id>. */
const journeyIdFromPath = (): string => decodeURIComponent(location.pathname.split('/')[2] ?? '');

/** The activity's content as the designer edits it; raw HTML without a document becomes one HTML block (nothing is lost). */
export function emailContentOf(raw: Record<string, unknown>, theme?: EmailTheme): EmailContent {
  const c = { channel: 'email', subject: '', html: '', ...raw } as EmailContent;
  if (c.document) return c;
  const html = typeof c.html === 'string' ? c.html.trim() : '';
  // Designed from scratch: the channel configuration's theme is where the brand starts.
  if (!html)
    return {
      ...c,
      document: theme
        ? {
            ...EMPTY_DOCUMENT,
            theme,
            ...(theme.fontFamily ? { fontFamily: theme.fontFamily } : {}),
          }
        : EMPTY_DOCUMENT,
    };
  return {
    ...c,
    document: {
      ...EMPTY_DOCUMENT,
      body: [
        {
          kind: 'structure',
          id: 'imported',
          stackOnMobile: true,
          variants: [],
          columns: [
            {
              id: 'imported-column',
              blocks: [{ kind: 'html', id: 'imported-html', content: html, variants: [] }],
            },
          ],
        },
      ],
    },
  };
}

/** The template a message was made from, when its locks apply. */
export function templateGovernance(
  catalog: Catalog,
  content: Record<string, unknown>,
): Governance | undefined {
  const key = typeof content['template'] === 'string' ? content['template'] : undefined;
  if (!key) return undefined;
  const t = catalog.contentTemplates.find((x) => x.key === key || x.spec['id'] === key);
  return t?.spec['governance'] as Governance | undefined;
}

export function EmailBodyButton(p: PanelProps<MessageNode>) {
  const [open, setOpen] = useState(false);
  const n = p.node;
  const content = n.content;
  const host = useMemo<DesignerHost>(
    () =>
      p.host ?? {
        kind: 'journey-activity',
        journeyId: journeyIdFromPath(),
        nodeId: n.id,
        definition: p.def,
      },
    [n.id, p.def, p.host],
  );
  const designed = !!content['document'];
  const governance = templateGovernance(p.catalog, content);
  const theme = (
    p.catalog.channelConfigurations.find((c) => c.key === n.configuration)?.spec as
      { theme?: EmailTheme } | undefined
  )?.theme;
  return (
    <div className="email-body-row">
      <span className="small muted">
        {designed
          ? 'Designed email'
          : typeof content['html'] === 'string' && content['html']
            ? 'HTML email'
            : 'No body yet'}
      </span>
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        {p.readOnly ? 'View email body' : 'Edit email body'}
      </button>
      {open &&
        createPortal(
          <Designer
            host={host}
            title={n.label || 'Email'}
            content={emailContentOf(content, theme)}
            catalog={p.catalog}
            applyLabel="Done"
            {...(governance ? { governance, locksApply: true } : {})}
            readOnly={p.readOnly}
            onApply={(c) => {
              if (!p.readOnly)
                p.onChange({ ...n, content: c as unknown as Record<string, unknown> });
            }}
            onClose={() => setOpen(false)}
          />,
          document.body,
        )}
    </div>
  );
}

/** A subject or preheader input with a button that opens the personalization editor on it. */
export function PersonalizedInput(
  p: PanelProps<MessageNode> & { field: 'subject' | 'preheader'; label: string },
) {
  const [asking, setAsking] = useState(false);
  const n = p.node;
  const value = typeof n.content[p.field] === 'string' ? (n.content[p.field] as string) : '';
  const set = (v: string) => p.onChange({ ...n, content: { ...n.content, [p.field]: v } });
  const host: DesignerHost = p.host ?? {
    kind: 'journey-activity',
    journeyId: journeyIdFromPath(),
    nodeId: n.id,
    definition: p.def,
  };
  return (
    // The button's name leaves out the field's: getByLabel('Subject') must find the input alone.
    <div className="personalized-input row" data-field={p.field}>
      <label>
        {p.label}
        <input name={`content-${p.field}`} value={value} onChange={(e) => set(e.target.value)} />
      </label>
      <button
        type="button"
        aria-label="Add personalization"
        title={`Add personalization to the ${p.label.toLowerCase()}`}
        onClick={() => setAsking(true)}
      >
        ✚
      </button>
      {asking &&
        createPortal(
          <PersonalizationDialog
            request={{ initial: value, mode: 'field', title: p.label }}
            host={host}
            onDone={(src) => {
              setAsking(false);
              if (src !== null) set(src);
            }}
          />,
          document.body,
        )}
    </div>
  );
}
