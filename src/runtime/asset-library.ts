// The asset selector's reads: search the sandbox's assets (collections and tags as facets) and the
// renditions a designer can pick, each with a URL. Images served by Waymark get rendition URLs on the
// public asset route (resized and re-encoded there); an asset whose URL points elsewhere and whose
// bytes Waymark does not hold is shown from that URL as it is.
import type { Asset } from '../model/asset.ts';
import {
  searchAssets,
  type AssetQuery,
  type LibraryItem,
  type LibraryPage,
  type RenditionChoice,
  type RenditionLabel,
} from '../content/assets/asset-search.ts';
export type { LibraryItem, LibraryPage, RenditionChoice, RenditionLabel };
import { snapSize } from '../content/assets/rendition-policy.ts';
import { notFound } from '../errors.ts';
import type { AssetService } from './assets.ts';
import type { StoreReads } from './unit-of-work/index.ts';

/** The thumbnail's width asked for; the rendition policy snaps it to an allowed size (200 by default). */
export const THUMBNAIL_WIDTH = 160;

export class AssetLibrary {
  constructor(
    private readonly store: StoreReads,
    private readonly assets: AssetService,
  ) {}

  async search(sandbox: string, query: AssetQuery): Promise<LibraryPage> {
    const all = (await this.store.listObjects<Asset>(sandbox, 'asset')).map((o) => o.body);
    const r = searchAssets(all, query);
    const items = await Promise.all(r.items.map(async (a) => this.item(sandbox, a)));
    return { collections: r.collections, tags: r.tags, items, total: r.total };
  }

  async renditions(sandbox: string, id: string): Promise<RenditionChoice[]> {
    const asset = (await this.store.getObject<Asset>(sandbox, 'asset', id))?.body;
    if (!asset) throw notFound('asset', id);
    const served = await this.served(sandbox, asset);
    const specs: ReadonlyArray<readonly [RenditionLabel, { width?: number; format?: 'webp' }]> = [
      ['Original', {}],
      ['Email 600 px', { width: snapSize(600, this.assets.policy) }],
      ['Retina 1200 px', { width: snapSize(1200, this.assets.policy) }],
      ['Thumbnail', { width: snapSize(THUMBNAIL_WIDTH, this.assets.policy), format: 'webp' }],
    ];
    return specs.map(([label, spec]) => ({
      label,
      spec,
      url: served
        ? this.assets.renditionUrl(
            { ...asset, url: this.assets.urlOf(sandbox, asset.id, asset.version) },
            spec,
          )
        : asset.url,
      previewUrl: served ? this.localUrl(sandbox, asset, spec) : asset.url,
    }));
  }

  private async item(sandbox: string, a: Asset): Promise<LibraryItem> {
    const served = await this.served(sandbox, a);
    return {
      id: a.id,
      name: a.name,
      collection: a.collection,
      tags: a.tags,
      mimeType: a.mimeType,
      ...(a.width === undefined ? {} : { width: a.width }),
      ...(a.height === undefined ? {} : { height: a.height }),
      ...(a.alt === undefined ? {} : { alt: a.alt }),
      version: a.version,
      url: a.url,
      thumbnailUrl: served
        ? this.localUrl(sandbox, a, {
            width: snapSize(THUMBNAIL_WIDTH, this.assets.policy),
            format: 'webp',
          })
        : a.url,
    };
  }

  /** Whether Waymark serves the asset's image: its URL is this server's, or its bytes were stored beside it. */
  private async served(sandbox: string, a: Asset): Promise<boolean> {
    if (a.url.startsWith(this.assets.urlOf(sandbox, a.id, a.version).split('?')[0]!)) return true;
    return (await this.assets.readImage(sandbox, a.id, a.version)) !== null;
  }

  private localUrl(
    sandbox: string,
    a: Asset,
    spec: { readonly width?: number; readonly format?: string },
  ): string {
    const params = [
      `v=${a.version}`,
      ...(spec.width === undefined ? [] : [`w=${spec.width}`]),
      ...(spec.format === undefined ? [] : [`format=${spec.format}`]),
    ];
    return `/assets/${encodeURIComponent(sandbox)}/${encodeURIComponent(a.id)}?${params.join('&')}`;
  }
}
