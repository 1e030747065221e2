// Which conditional-content variant the canvas shows per block or container ("Preview as" in the
// properties panel). Not part of the document: a view choice shared by the panel and the canvas.
// The designer wraps panel and canvas in <VariantPreviewProvider>; without it the choice is inert.
import { createContext, createElement, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export interface VariantPreview {
  /** Block or container id -> index of the variant shown (absent: the default content). */
  readonly shown: ReadonlyMap<string, number>;
  /** Shows variant `index` of block `id` on the canvas, or its default content with null. */
  show(id: string, index: number | null): void;
  /** The variant shown for `id`, or null for the default. */
  variantOf(id: string): number | null;
}

const inert: VariantPreview = { shown: new Map(), show: () => {}, variantOf: () => null };

export const VariantPreviewContext = createContext<VariantPreview>(inert);

export function useVariantPreview(): VariantPreview {
  return useContext(VariantPreviewContext);
}

export function VariantPreviewProvider(p: { children: ReactNode }) {
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const show = useCallback((id: string, index: number | null) => {
    setShown((m) => {
      const next = new Map(m);
      if (index === null) next.delete(id);
      else next.set(id, index);
      return next;
    });
  }, []);
  const value = useMemo<VariantPreview>(
    () => ({ shown, show, variantOf: (id) => shown.get(id) ?? null }),
    [shown, show],
  );
  return createElement(VariantPreviewContext.Provider, { value }, p.children);
}
