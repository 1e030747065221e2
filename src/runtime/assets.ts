// Assets: upload image versions, serve renditions (resized, re-encoded with sharp) with cache
// headers. A versioned URL never changes, so mail clients and browsers cache it for a year.
import { addAssetVersion, parseRenditionQuery, renditionHeaders, renditionKey, type RenditionRenderer } from '../content/assets/assets.ts';
import { sharpRenditions } from '../channels/assets/sharp-renditions.ts';
import type { Asset } from '../model/asset.ts';
import { ErrorCode, notFound, WaymarkError } from '../errors.ts';
import type { BlobStore } from './blobs.ts';
import type { ObjectService } from './objects.ts';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);
export const MAX_ASSET_BYTES = 10 * 1024 * 1024;

export class AssetService {
  private renderer: RenditionRenderer | null = null;

  constructor(private readonly objects: ObjectService, private readonly blobs: BlobStore, private readonly publicUrl: string) {}

  urlOf(sandbox: string, id: string, version: number): string {
    return `${this.publicUrl}/assets/${sandbox}/${encodeURIComponent(id)}?v=${version}`;
  }

  /** Stores new image bytes as the asset's next version (the first one creates it). */
  async upload(sandbox: string, id: string, bytes: Uint8Array, mimeType: string, meta: { name?: string; collection?: string; tags?: string[] } = {}): Promise<Asset> {
    if (!IMAGE_TYPES.has(mimeType)) throw new WaymarkError(ErrorCode.BadRequest, 'an asset must be an image', { issues: [{ path: 'headers.content-type', message: 'unsupported type', expected: [...IMAGE_TYPES].join(' | '), received: mimeType }] });
    if (bytes.byteLength === 0 || bytes.byteLength > MAX_ASSET_BYTES) throw new WaymarkError(ErrorCode.BadRequest, `an asset must be 1 byte to ${MAX_ASSET_BYTES} bytes`, { issues: [{ path: 'body', message: 'size', expected: `<= ${MAX_ASSET_BYTES}`, received: String(bytes.byteLength) }] });
    const existing = await this.objects.get(sandbox, 'asset', id).then((o) => o.body as Asset, () => null);
    const version = existing ? existing.version + 1 : 1;
    await this.blobs.put(`${sandbox}/assets/${id}/v${version}`, bytes);
    const upload = { url: this.urlOf(sandbox, id, version), mimeType, bytes: bytes.byteLength };
    const next: Asset = existing
      ? addAssetVersion(existing, upload)
      : { id, name: meta.name ?? id, collection: meta.collection ?? 'default', tags: meta.tags ?? [], version: 1, url: upload.url, mimeType, history: [{ version: 1, ...upload }] };
    await this.objects.put(sandbox, 'asset', next);
    return next;
  }

  /** Puts the image of an existing asset version (packages carry asset objects; their bytes come beside). */
  async storeImage(sandbox: string, id: string, version: number, bytes: Uint8Array): Promise<void> {
    await this.blobs.put(`${sandbox}/assets/${id}/v${version}`, bytes);
  }

  /** The bytes and headers of a rendition (?w=&h=&fit=&format=&q=), rendered once and kept. */
  async rendition(sandbox: string, id: string, query: Readonly<Record<string, string | undefined>>): Promise<{ bytes: Uint8Array; headers: Record<string, string> }> {
    const asset = await this.objects.get(sandbox, 'asset', id).then((o) => o.body as Asset, () => { throw notFound('asset', id); });
    const r = parseRenditionQuery(query);
    if (!r.ok) throw new WaymarkError(ErrorCode.BadRequest, 'the rendition request is invalid', { issues: r.issues });
    const versioned = query.v !== undefined && Number(query.v) === asset.version;
    const headers = renditionHeaders(asset, r.spec, versioned);
    const original = await this.blobs.get(`${sandbox}/assets/${id}/v${asset.version}`);
    if (!original) throw new WaymarkError(ErrorCode.NotFound, `the asset "${id}" has no uploaded image (its URL is ${asset.url})`);
    const plain = r.spec.width === undefined && r.spec.height === undefined && r.spec.format === undefined && r.spec.quality === undefined;
    if (plain) return { bytes: original, headers: { ...headers, 'Content-Type': asset.mimeType } };
    const key = `${sandbox}/renditions/${renditionKey(asset, r.spec)}`;
    const cached = await this.blobs.get(key);
    if (cached) return { bytes: cached, headers };
    this.renderer ??= sharpRenditions();
    const rendered = await this.renderer.render(original, r.spec);
    await this.blobs.put(key, rendered.bytes);
    return { bytes: rendered.bytes, headers };
  }
}
