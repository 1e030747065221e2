// The image's rendition choices (the "Rendition" select of the Image section): what the asset
// library offers for the asset (GET /v1/asset-library/:id/renditions), or the three usual ones when
// it does not answer. Thumbnails are for the drawer, not for emails. Pure: the editor fetches.
import type { RenditionPick } from '../contracts.ts';

export interface RenditionOption {
  readonly label: string;
  readonly spec: RenditionPick;
}

/** Used when the route fails or lists nothing. */
export const FALLBACK_RENDITIONS: readonly RenditionOption[] = [
  { label: 'Original', spec: {} },
  { label: 'Email 600 px', spec: { width: 600 } },
  { label: 'Retina 1200 px', spec: { width: 1200 } },
];

/** The server's items as options (thumbnails left out); the fallback when there are none. */
export function renditionOptions(
  items:
    ReadonlyArray<{ readonly label: string; readonly spec?: RenditionPick }> | null | undefined,
): RenditionOption[] {
  const list = (items ?? [])
    .filter((i) => typeof i.label === 'string' && !/thumbnail/i.test(i.label))
    .map((i) => ({ label: i.label, spec: cleanSpec(i.spec ?? {}) }));
  return list.length ? list : [...FALLBACK_RENDITIONS];
}

/** Only the fields the image block's rendition takes. */
export function cleanSpec(spec: RenditionPick): RenditionPick {
  return {
    ...(spec.width === undefined ? {} : { width: spec.width }),
    ...(spec.height === undefined ? {} : { height: spec.height }),
    ...(spec.format === undefined ? {} : { format: spec.format }),
  };
}

const same = (a: RenditionPick, b: RenditionPick): boolean =>
  a.width === b.width && a.height === b.height && a.format === b.format;

/** The option the block's rendition is (Original when it has none); null for a rendition none of them is. */
export function pickedOption(
  options: readonly RenditionOption[],
  rendition: RenditionPick | undefined,
): RenditionOption | null {
  return options.find((o) => same(o.spec, cleanSpec(rendition ?? {}))) ?? null;
}

/** The block's `rendition` for a spec: undefined (the field removed) for the original. */
export function renditionFor(spec: RenditionPick): RenditionPick | undefined {
  const clean = cleanSpec(spec);
  return Object.keys(clean).length ? clean : undefined;
}

/** "1200 px wide, webp" for a rendition no option matches. */
export function describeRendition(r: RenditionPick): string {
  const size =
    r.width && r.height
      ? `${r.width}×${r.height} px`
      : r.width
        ? `${r.width} px wide`
        : r.height
          ? `${r.height} px high`
          : 'original size';
  return r.format ? `${size}, ${r.format}` : size;
}
