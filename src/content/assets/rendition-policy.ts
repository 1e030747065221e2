// Which renditions the public asset route makes, and how many it keeps. The route needs no key (the
// images are in emails), so the sizes it accepts come from a configured set and the renditions kept
// per asset are capped (the oldest goes first): no request can make the server store an unbounded
// number of images. URLs built for content snap to the set, so what the renderer asks for is served.
import type { RenditionSpec } from '../../model/asset.ts';

export interface RenditionPolicy {
  /** Widths (and heights) a rendition may ask for, in pixels; leaving `w`/`h` out keeps the original size. */
  readonly sizes: readonly number[];
  /** Qualities (`q`) a rendition may ask for; leaving `q` out uses the encoder's default. */
  readonly qualities: readonly number[];
  /** Renditions kept per asset (all versions together); past it the oldest is removed. */
  readonly maxPerAsset: number;
}

export const defaultRenditionPolicy: RenditionPolicy = {
  sizes: [200, 320, 480, 600, 800, 1200, 1600, 2000],
  qualities: [50, 60, 70, 75, 80, 85, 90, 100],
  maxPerAsset: 24,
};

/** The policy with `overrides` applied, sorted and checked (positive integers, at most 4096 pixels). */
export function renditionPolicy(overrides: Partial<RenditionPolicy> = {}): RenditionPolicy {
  const p = { ...defaultRenditionPolicy, ...overrides };
  const ints = (xs: readonly number[], max: number, what: string): number[] => {
    for (const x of xs)
      if (!Number.isInteger(x) || x < 1 || x > max)
        throw new Error(`rendition ${what} must be integers from 1 to ${max}, got ${x}`);
    return [...new Set(xs)].sort((a, b) => a - b);
  };
  if (!Number.isInteger(p.maxPerAsset) || p.maxPerAsset < 1)
    throw new Error(`renditions kept per asset must be a positive integer, got ${p.maxPerAsset}`);
  return {
    sizes: ints(p.sizes, 4096, 'sizes'),
    qualities: ints(p.qualities, 100, 'qualities'),
    maxPerAsset: p.maxPerAsset,
  };
}

/**
 * Settings from the command line or the environment ("320,600,1200" and "24"), checked: a bad value
 * stops the server at start, naming the option.
 */
export function renditionSettings(
  sizes: string | undefined,
  perAsset: string | undefined,
): Partial<RenditionPolicy> {
  const out: { sizes?: number[]; maxPerAsset?: number } = {};
  if (sizes !== undefined && sizes.trim() !== '') {
    const list = sizes
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    if (
      list.length === 0 ||
      list.some((x) => !/^\d{1,4}$/.test(x) || Number(x) < 1 || Number(x) > 4096)
    ) {
      throw new Error(
        `--rendition-sizes (WAYMARK_RENDITION_SIZES) must be comma-separated pixel sizes from 1 to 4096, got "${sizes}"`,
      );
    }
    out.sizes = list.map(Number);
  }
  if (perAsset !== undefined && perAsset.trim() !== '') {
    if (!/^\d{1,6}$/.test(perAsset.trim()) || Number(perAsset) < 1)
      throw new Error(
        `--renditions-per-asset (WAYMARK_RENDITIONS_PER_ASSET) must be a positive integer, got "${perAsset}"`,
      );
    out.maxPerAsset = Number(perAsset);
  }
  return out;
}

export interface RenditionIssue {
  readonly path: string;
  readonly message: string;
  readonly expected: string;
  readonly received: string;
}

/** Issues for each parameter of `spec` outside the policy, each naming the allowed set. */
export function checkRenditionSpec(spec: RenditionSpec, policy: RenditionPolicy): RenditionIssue[] {
  const issues: RenditionIssue[] = [];
  const sizes = `one of ${policy.sizes.join(', ')} (or left out for the original size)`;
  if (spec.width !== undefined && !policy.sizes.includes(spec.width))
    issues.push({
      path: 'query.w',
      message: `width must be ${sizes}`,
      expected: sizes,
      received: String(spec.width),
    });
  if (spec.height !== undefined && !policy.sizes.includes(spec.height))
    issues.push({
      path: 'query.h',
      message: `height must be ${sizes}`,
      expected: sizes,
      received: String(spec.height),
    });
  if (spec.quality !== undefined && !policy.qualities.includes(spec.quality)) {
    const q = `one of ${policy.qualities.join(', ')} (or left out)`;
    issues.push({
      path: 'query.q',
      message: `quality must be ${q}`,
      expected: q,
      received: String(spec.quality),
    });
  }
  return issues;
}

/** The smallest allowed size at least `px` (the largest allowed when `px` is over all of them). */
export function snapSize(px: number, policy: RenditionPolicy): number {
  return policy.sizes.find((s) => s >= px) ?? policy.sizes[policy.sizes.length - 1] ?? px;
}

/** The public URL of a rendition of `assetUrl` (the asset's versioned URL), with sizes snapped to the policy. */
export function renditionUrlFor(
  assetUrl: string,
  rendition: { readonly width?: number; readonly height?: number; readonly format?: string },
  policy: RenditionPolicy,
): string {
  const params: string[] = [];
  if (rendition.width !== undefined) params.push(`w=${snapSize(rendition.width, policy)}`);
  if (rendition.height !== undefined) params.push(`h=${snapSize(rendition.height, policy)}`);
  if (rendition.format !== undefined) params.push(`format=${encodeURIComponent(rendition.format)}`);
  if (params.length === 0) return assetUrl;
  return `${assetUrl}${assetUrl.includes('?') ? '&' : '?'}${params.join('&')}`;
}
