// What the email designer's parts share: the drag payloads (palette, asset selector and fragment
// drawer to canvas), where the message is used (it decides what personalization can read), and the
// designer API that drawers and panels get through useDesigner(). The designer shell implements it.
import { createContext, useContext } from 'react';
import type { EmailContent, EmailDocument } from '@waymark/shared/model/message-content.ts';
import type { Governance } from '@waymark/shared/model/content-template.ts';
import type { JourneyDefinition } from '../api/types.ts';
import type { Catalog } from '../canvas/catalog.ts';

export type ComponentKind =
  'text' | 'image' | 'button' | 'divider' | 'spacer' | 'social' | 'html' | 'decision' | 'container';
export type RenditionPick = {
  readonly width?: number;
  readonly height?: number;
  readonly format?: 'png' | 'jpeg' | 'webp' | 'avif';
};

/** What is dragged onto the canvas; the keyboard path hands the same payload to DesignerApi.insert. */
export type DragPayload =
  /** A structure; ratios are the columns' relative widths ([1] one column, [1, 2] a third and two thirds). */
  | { readonly type: 'structure'; readonly ratios: readonly number[] }
  | { readonly type: 'component'; readonly kind: ComponentKind }
  | { readonly type: 'asset'; readonly assetId: string; readonly rendition?: RenditionPick }
  | { readonly type: 'fragment'; readonly fragmentId: string }
  /** An existing block or structure moved by its id. */
  | { readonly type: 'move'; readonly id: string };

export const DRAG_MIME = 'application/x-waymark-designer';

export function writeDrag(dt: DataTransfer, p: DragPayload): void {
  dt.setData(DRAG_MIME, JSON.stringify(p));
  dt.setData('text/plain', p.type);
  dt.effectAllowed = p.type === 'move' ? 'move' : 'copy';
}

export function readDrag(dt: DataTransfer): DragPayload | null {
  const raw = dt.getData(DRAG_MIME);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { type?: unknown };
    return typeof v === 'object' && v !== null && typeof v.type === 'string'
      ? (v as DragPayload)
      : null;
  } catch {
    return null;
  }
}

/** Whether a drag in progress carries a designer payload (its data is unreadable until drop). */
export const isDesignerDrag = (dt: DataTransfer): boolean => dt.types.includes(DRAG_MIME);

/** Where the content lives: what it may personalize with, and how it is saved. */
export type DesignerHost =
  /** An email activity of a journey: events and custom-action responses upstream of the node are in scope. */
  | {
      readonly kind: 'journey-activity';
      readonly journeyId: string;
      readonly nodeId: string;
      readonly definition: JourneyDefinition;
    }
  /** A content template: its governance locks are edited here. */
  | { readonly kind: 'content-template'; readonly key: string }
  /** A visual fragment: the document holds one structure whose blocks are the fragment's blocks. */
  | { readonly kind: 'fragment'; readonly key: string }
  /** A campaign's message (`key`: the campaign id); its channel configuration's limits apply to previews. */
  | { readonly kind: 'campaign'; readonly key: string; readonly configuration?: string }
  /** A page of a landing page (`page`: '' for the primary page, else the sub-page's slug). */
  | { readonly kind: 'landing-page'; readonly key: string; readonly page: string };

/** One entry of the personalization editor's tree (a leaf has a path that can be inserted): the server's type. */
export type { PersonalizationNode } from '@waymark/shared/content/personalization-tree.ts';

export interface PersonalizeRequest {
  /** Template source already there (editing a token or a field), or '' for a new insertion. */
  readonly initial: string;
  /** 'inline': a token inside text (the result goes where the caret was); 'field': a whole field value. */
  readonly mode: 'inline' | 'field';
  /** Shown as the dialog's title, e.g. "Offer code (Promo Code Fragment)". */
  readonly title?: string;
}

export interface DesignerApi {
  /** The whole message (subject, preheader, document, locales). */
  readonly content: EmailContent;
  /** The document being edited: content.document, or the locale's document when a locale is open. */
  readonly doc: EmailDocument;
  /** The selected structure, column or block id. */
  readonly selection: string | null;
  select(id: string | null): void;
  /** One undoable step. `label` names it in the undo history ("Add image", "Move text"). */
  update(next: (c: EmailContent) => EmailContent, label: string): void;
  /** Puts a payload where the keyboard user is: into the selected column, after the selected block, or at the end. */
  insert(p: DragPayload): void;
  /** Opens the personalization editor; resolves to the template source chosen, or null when cancelled. */
  personalize(req: PersonalizeRequest): Promise<string | null>;
  readonly host: DesignerHost;
  readonly catalog: Catalog;
  /** The template's governance (a template being edited, or the template a message was made from). */
  readonly governance: Governance | undefined;
  /** True when the message was made from a template whose locks apply (not when editing the template itself). */
  readonly locksApply: boolean;
  /** The open locale (null: the default content). */
  readonly locale: string | null;
  setLocale(locale: string | null): void;
  /** Canvas and preview width. */
  readonly device: 'desktop' | 'mobile';
  setDevice(d: 'desktop' | 'mobile'): void;
}

export const DesignerContext = createContext<DesignerApi | null>(null);

export function useDesigner(): DesignerApi {
  const d = useContext(DesignerContext);
  if (d === null) throw new Error('useDesigner() is used outside the email designer');
  return d;
}
