// What the canvas's parts share without re-rendering each other: stable actions (select, drop,
// toolbar operations), the loaded fragments and assets, and the drag in progress (its data cannot be
// read during dragover, so it is noted at dragstart, after the source wrote it).
import { createContext } from 'react';
import type { LeafBlock } from '@waymark/shared/model/message-content.ts';
import { readDrag } from './contracts.ts';
import type { DragPayload } from './contracts.ts';
import type { Target } from './doc-ops.ts';

/** 'parent' goes one level up (block, column, structure); 'structure' straight to the structure. */
export type BlockOp = 'up' | 'down' | 'duplicate' | 'delete' | 'parent' | 'structure';

export interface CanvasActionsApi {
  select(id: string | null): void;
  drop(p: DragPayload, t: Target): void;
  /** The drop marker under the pointer ("<id>:before"), or null. */
  mark(m: string | null): void;
  op(op: BlockOp, id: string): void;
  canRemove(id: string): boolean;
  setVariant(id: string, index: number): void;
  editText(id: string): void;
}

export interface CanvasDataApi {
  /** A visual fragment's name and blocks; undefined while loading, null when missing or not visual. */
  fragment(id: string): { name: string; blocks: readonly LeafBlock[] } | null | undefined;
  fragmentName(id: string): string;
  assetUrl(id: string, width?: number): string;
  assetName(id: string): string | undefined;
}

const noop = () => undefined;
export const CanvasActions = createContext<CanvasActionsApi>({
  select: noop,
  drop: noop,
  mark: noop,
  op: noop,
  canRemove: () => false,
  setVariant: noop,
  editText: noop,
});
export const CanvasData = createContext<CanvasDataApi>({
  fragment: () => undefined,
  fragmentName: (id) => id,
  assetUrl: () => '',
  assetName: () => undefined,
});

let dragging: { payload: DragPayload | null; structure: boolean } | null = null;

/** The payload being dragged (null when unknown, e.g. from another window). */
export const currentDrag = (): DragPayload | null => dragging?.payload ?? null;
/** Whether what is dragged is a structure (a new one or one being moved): it drops between structures. */
export const dragIsStructure = (): boolean => !!dragging?.structure;

/** Notes each drag as it starts; removes itself when the designer closes. */
export function watchDrags(): () => void {
  const start = (e: DragEvent) => {
    const payload = e.dataTransfer ? readDrag(e.dataTransfer) : null;
    const structure =
      payload?.type === 'structure' ||
      (payload?.type === 'move' &&
        document
          .querySelector(`[data-wm-id="${CSS.escape(payload.id)}"]`)
          ?.getAttribute('data-wm-kind') === 'structure');
    dragging = { payload, structure };
    document.body.classList.add('wm-dragging');
  };
  const end = () => {
    dragging = null;
    document.body.classList.remove('wm-dragging');
  };
  window.addEventListener('dragstart', start);
  window.addEventListener('dragend', end);
  window.addEventListener('drop', end);
  return () => {
    window.removeEventListener('dragstart', start);
    window.removeEventListener('dragend', end);
    window.removeEventListener('drop', end);
    end();
  };
}
