// On a narrow screen the drawers and the panels leave less room than the email's width: the email
// (the canvas, the preview) is scaled down to fit rather than cut. CSS zoom keeps hit-testing and
// drops exact, where a transform would not.
import { useEffect, useState } from 'react';

/** The zoom (0.5 to 1) at which `width` ("600px") fits in `box` less `gutter` px. */
export function useFitZoom(
  box: { readonly current: HTMLElement | null },
  width: string,
  gutter: number,
): number {
  const [zoom, setZoom] = useState(1);
  useEffect(() => {
    const el = box.current;
    const px = Number.parseFloat(width);
    if (!el || !width.endsWith('px') || !Number.isFinite(px) || px <= 0) {
      setZoom(1);
      return;
    }
    const fit = () => {
      const room = el.clientWidth - gutter;
      setZoom(room >= px ? 1 : Math.max(0.5, Math.floor((room / px) * 100) / 100));
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(el);
    return () => ro.disconnect();
  }, [box, width, gutter]);
  return zoom;
}
