// Assets: upload image versions, serve renditions (resized, re-encoded with sharp) with cache
// headers. A versioned URL never changes, so mail clients and browsers cache it for a year.
// Renditions are public: only sizes of the rendition policy are made, and at most maxPerAsset are kept
// per asset (the oldest stored one is removed first), listed in a small index blob beside them.
import {
  addAssetVersion,
  parseRenditionQuery,
  renditionHeaders,
  renditionKey,
  type RenditionRenderer,
} from '../content/assets/assets.ts';
import {
  checkRenditionSpec,
  renditionPolicy,
  renditionUrlFor,
  type RenditionPolicy,
} from '../content/assets/rendition-policy.ts';
import { sharpRenditions } from '../channels/assets/sharp-renditions.ts';
import type { Asset } from '../model/asset.ts';
import { ErrorCode, notFound, WaymarkError } from '../errors.ts';
import type { BlobStore } from './blobs.ts';
import type { ObjectService } from './objects.ts';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);
export const MAX_ASSET_BYTES = 10 * 1024 * 1024;

export class AssetService {
  private renderer: RenditionRenderer | null = null;
  readonly policy: RenditionPolicy;
  /** Per asset, the chain of rendition writes (one at a time, so the index and the cap stay exact). */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly objects: ObjectService,
    private readonly blobs: BlobStore,
    private readonly publicUrl: string,
    policy: Partial<RenditionPolicy> = {},
  ) {
    this.policy = renditionPolicy(policy);
  }

  /** The URL of a rendition as content asks for it, sizes snapped to the policy. */
  renditionUrl(
    asset: Asset,
    rendition: { readonly width?: number; readonly height?: number; readonly format?: string },
  ): string {
    return renditionUrlFor(asset.url, rendition, this.policy);
  }

  urlOf(sandbox: string, id: string, version: number): string {
    return `${this.publicUrl}/assets/${sandbox}/${encodeURIComponent(id)}?v=${version}`;
  }

  /** Stores new image bytes as the asset's next version (the first one creates it). */
  async upload(
    sandbox: string,
    id: string,
    bytes: Uint8Array,
    mimeType: string,
    meta: { name?: string; collection?: string; tags?: string[] } = {},
  ): Promise<Asset> {
    if (!IMAGE_TYPES.has(mimeType))
      throw new WaymarkError(ErrorCode.BadRequest, 'an asset must be an image', {
        issues: [
          {
            path: 'headers.content-type',
            message: 'unsupported type',
            expected: [...IMAGE_TYPES].join(' | '),
            received: mimeType,
          },
        ],
      });
    if (bytes.byteLength === 0 || bytes.byteLength > MAX_ASSET_BYTES)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `an asset must be 1 byte to ${MAX_ASSET_BYTES} bytes`,
        {
          issues: [
            {
              path: 'body',
              message: 'size',
              expected: `<= ${MAX_ASSET_BYTES}`,
              received: String(bytes.byteLength),
            },
          ],
        },
      );
    const existing = await this.objects.get(sandbox, 'asset', id).then(
      (o) => o.body as Asset,
      () => null,
    );
    const version = existing ? existing.version + 1 : 1;
    await this.blobs.put(`${sandbox}/assets/${id}/v${version}`, bytes);
    const upload = {
      url: this.urlOf(sandbox, id, version),
      mimeType,
      bytes: bytes.byteLength,
      ...(await measure(bytes)),
    };
    const next: Asset = existing
      ? addAssetVersion(existing, upload)
      : {
          id,
          name: meta.name ?? id,
          collection: meta.collection ?? 'default',
          tags: meta.tags ?? [],
          version: 1,
          url: upload.url,
          mimeType,
          ...(upload.width === undefined ? {} : { width: upload.width, height: upload.height }),
          history: [{ version: 1, ...upload }],
        };
    await this.objects.put(sandbox, 'asset', next);
    return next;
  }

  /** Puts the image of an existing asset version (packages carry asset objects; their bytes come beside). */
  /** Removes every stored image and rendition of the sandbox (it was reset or deleted). */
  async forgetSandbox(sandbox: string): Promise<void> {
    await this.blobs.deleteSandbox(sandbox);
  }

  async storeImage(sandbox: string, id: string, version: number, bytes: Uint8Array): Promise<void> {
    await this.blobs.put(`${sandbox}/assets/${id}/v${version}`, bytes);
  }

  /** The image of an asset version, or null when none was uploaded (packages carry it). */
  async readImage(sandbox: string, id: string, version: number): Promise<Uint8Array | null> {
    return this.blobs.get(`${sandbox}/assets/${id}/v${version}`);
  }

  /** The bytes and headers of a rendition (?w=&h=&fit=&format=&q=), rendered once and kept. */
  async rendition(
    sandbox: string,
    id: string,
    query: Readonly<Record<string, string | undefined>>,
  ): Promise<{ bytes: Uint8Array; headers: Record<string, string> }> {
    const asset = await this.objects.get(sandbox, 'asset', id).then(
      (o) => o.body as Asset,
      () => {
        throw notFound('asset', id);
      },
    );
    const r = parseRenditionQuery(query);
    if (!r.ok)
      throw new WaymarkError(ErrorCode.BadRequest, 'the rendition request is invalid', {
        issues: r.issues,
      });
    const outside = checkRenditionSpec(r.spec, this.policy);
    if (outside.length > 0)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `the rendition request is outside the allowed set: ${outside.map((i) => i.message).join('; ')}`,
        { issues: outside },
      );
    const versioned = query.v !== undefined && Number(query.v) === asset.version;
    const headers = renditionHeaders(asset, r.spec, versioned);
    const original = await this.blobs.get(`${sandbox}/assets/${id}/v${asset.version}`);
    if (!original)
      throw new WaymarkError(
        ErrorCode.NotFound,
        `the asset "${id}" has no uploaded image (its URL is ${asset.url})`,
      );
    const plain =
      r.spec.width === undefined &&
      r.spec.height === undefined &&
      r.spec.format === undefined &&
      r.spec.quality === undefined;
    if (plain) return { bytes: original, headers: { ...headers, 'Content-Type': asset.mimeType } };
    const key = `${sandbox}/renditions/${renditionKey(asset, r.spec)}`;
    const cached = await this.blobs.get(key);
    if (cached) return { bytes: cached, headers };
    const bytes = await this.oneAtATime(`${sandbox}/${id}`, async () => {
      const again = await this.blobs.get(key);
      if (again) return again;
      this.renderer ??= sharpRenditions();
      const rendered = await this.renderer.render(original, r.spec);
      await this.blobs.put(key, rendered.bytes);
      await this.remember(sandbox, id, key);
      return rendered.bytes;
    });
    return { bytes, headers };
  }

  /** Adds `key` to the asset's rendition index and removes the oldest renditions past the cap. */
  private async remember(sandbox: string, id: string, key: string): Promise<void> {
    const indexKey = `${sandbox}/rendition-index/${id}.json`;
    const raw = await this.blobs.get(indexKey);
    let keys: string[] = [];
    if (raw) {
      try {
        const parsed: unknown = JSON.parse(Buffer.from(raw).toString('utf8'));
        if (Array.isArray(parsed)) keys = parsed.filter((k): k is string => typeof k === 'string');
      } catch {
        keys = [];
      }
    }
    keys = [...keys.filter((k) => k !== key), key];
    const evicted = keys.splice(0, Math.max(0, keys.length - this.policy.maxPerAsset));
    for (const k of evicted) await this.blobs.delete(k);
    await this.blobs.put(indexKey, Buffer.from(JSON.stringify(keys)));
  }

  private async oneAtATime<T>(lock: string, work: () => Promise<T>): Promise<T> {
    const before = this.writing.get(lock) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.writing.set(lock, tail);
    try {
      return await run;
    } finally {
      if (this.writing.get(lock) === tail) this.writing.delete(lock);
    }
  }
}

/** The pixel size of an image, recorded with each version (the designer lays images out by it); {} when unreadable. */
async function measure(bytes: Uint8Array): Promise<{ width?: number; height?: number }> {
  try {
    const sharp = (await import('sharp')).default;
    const meta = await sharp(bytes, { limitInputPixels: 50_000_000 }).metadata();
    return meta.width !== undefined && meta.height !== undefined
      ? { width: meta.width, height: meta.height }
      : {};
  } catch {
    return {};
  }
}
