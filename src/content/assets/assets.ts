// Assets, the pure part: versions, collections and tags, rendition requests (from query strings),
// their cache keys and HTTP cache headers. Image bytes are handled by a RenditionRenderer
// (src/channels/assets/sharp-renditions.ts) that the storage and API wiring call.
import type { Asset, RenditionSpec } from '../../model/asset.ts';
import { renditionSpecSchema } from '../../model/asset.ts';

export interface AssetUpload {
  readonly url: string;
  readonly mimeType: string;
  readonly width?: number;
  readonly height?: number;
  readonly bytes?: number;
}

/** A new version of an asset: the current one moves to the history. */
export function addAssetVersion(asset: Asset, upload: AssetUpload): Asset {
  const {
    id: _id,
    name: _n,
    collection: _c,
    tags: _t,
    alt: _a,
    history,
    version,
    ...current
  } = asset;
  return {
    ...asset,
    ...upload,
    version: version + 1,
    history: [
      ...history,
      {
        version,
        url: current.url,
        mimeType: current.mimeType,
        ...(current.width === undefined ? {} : { width: current.width }),
        ...(current.height === undefined ? {} : { height: current.height }),
      },
    ],
  };
}

/** Assets of a collection carrying every tag asked for. */
export function findAssets(
  assets: Iterable<Asset>,
  q: { readonly collection?: string; readonly tags?: readonly string[] },
): Asset[] {
  return [...assets].filter(
    (a) =>
      (q.collection === undefined || a.collection === q.collection) &&
      (q.tags ?? []).every((t) => a.tags.includes(t)),
  );
}

export type RenditionRequest =
  | { ok: true; spec: RenditionSpec }
  | { ok: false; issues: Array<{ path: string; message: string }> };

/** ?w=300&h=200&fit=cover&format=webp&q=80 -> a rendition spec, with field-level errors. */
export function parseRenditionQuery(
  query: Readonly<Record<string, string | undefined>>,
): RenditionRequest {
  const int = (v: string | undefined): number | undefined =>
    v === undefined || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : Number.NaN;
  const raw = {
    ...(query['w'] === undefined ? {} : { width: int(query['w']) }),
    ...(query['h'] === undefined ? {} : { height: int(query['h']) }),
    ...(query['fit'] === undefined ? {} : { fit: query['fit'] }),
    ...(query['format'] === undefined
      ? {}
      : { format: query['format'] === 'jpg' ? 'jpeg' : query['format'] }),
    ...(query['q'] === undefined ? {} : { quality: int(query['q']) }),
  };
  const r = renditionSpecSchema.safeParse(raw);
  if (r.success) return { ok: true, spec: r.data };
  const names: Readonly<Record<string, string>> = {
    width: 'w',
    height: 'h',
    quality: 'q',
    fit: 'fit',
    format: 'format',
  };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: `query.${names[String(i.path[0])] ?? String(i.path[0])}`,
      message: i.message,
    })),
  };
}

const mimeOf: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Deterministic key of a rendition of the asset's current version (storage key and ETag). */
export function renditionKey(asset: Asset, spec: RenditionSpec): string {
  const fmt = spec.format ?? formatOf(asset.mimeType);
  return `${asset.id}@v${asset.version}/w${spec.width ?? 0}-h${spec.height ?? 0}-${spec.fit}-q${spec.quality ?? 0}.${fmt}`;
}

export function formatOf(mimeType: string): RenditionSpec['format'] & string {
  return mimeType === 'image/jpeg'
    ? 'jpeg'
    : mimeType === 'image/webp'
      ? 'webp'
      : mimeType === 'image/avif'
        ? 'avif'
        : 'png';
}

/**
 * Headers to serve a rendition with: a versioned URL (?v=<version>) never changes, so it is cached
 * for a year as immutable; without the version it is revalidated through the ETag.
 */
export function renditionHeaders(
  asset: Asset,
  spec: RenditionSpec,
  versioned: boolean,
): Record<string, string> {
  return {
    'Content-Type': mimeOf[spec.format ?? formatOf(asset.mimeType)] ?? 'application/octet-stream',
    'Cache-Control': versioned
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=300, must-revalidate',
    ETag: `"${renditionKey(asset, spec).replace(/[^A-Za-z0-9@._/-]/g, '_')}"`,
  };
}

export interface RenderedImage {
  readonly bytes: Uint8Array;
  readonly mimeType: string;
  readonly width: number;
  readonly height: number;
}

/** Port: makes a rendition's bytes from the original's (src/channels/assets/sharp-renditions.ts implements it). */
export interface RenditionRenderer {
  render(original: Uint8Array, spec: RenditionSpec): Promise<RenderedImage>;
}
