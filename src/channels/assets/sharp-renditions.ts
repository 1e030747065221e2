// The rendition renderer on sharp (libvips): resize (inside/cover/contain, never enlarging) and
// re-encode to PNG, JPEG, WebP or AVIF. Buffers in, buffers out: no files, no network.
// An adapter behind the content module's RenditionRenderer port, loaded lazily so that nothing else pays for the native library.
import type { RenditionSpec } from '../../model/asset.ts';
import type { RenderedImage, RenditionRenderer } from '../../content/assets/assets.ts';

import type * as SharpNs from 'sharp';

type Sharp = typeof SharpNs;
let sharpModule: Promise<Sharp> | undefined;
const loadSharp = (): Promise<Sharp> => (sharpModule ??= import('sharp'));

export function sharpRenditions(): RenditionRenderer {
  return {
    async render(original: Uint8Array, spec: RenditionSpec): Promise<RenderedImage> {
      const sharp = (await loadSharp()).default;
      let img = sharp(original, { failOn: 'error', limitInputPixels: 50_000_000 }).rotate();
      if (spec.width !== undefined || spec.height !== undefined) {
        img = img.resize({
          width: spec.width,
          height: spec.height,
          fit: spec.fit,
          withoutEnlargement: true,
          background: { r: 255, g: 255, b: 255, alpha: 0 },
        });
      }
      const meta = await sharp(original).metadata();
      const format =
        spec.format ??
        (meta.format === 'jpeg' || meta.format === 'webp'
          ? meta.format
          : meta.format === 'heif'
            ? 'avif'
            : 'png');
      const q = spec.quality === undefined ? {} : { quality: spec.quality };
      img =
        format === 'jpeg'
          ? img.jpeg(q)
          : format === 'webp'
            ? img.webp(q)
            : format === 'avif'
              ? img.avif(q)
              : img.png();
      const { data, info } = await img.toBuffer({ resolveWithObject: true });
      return {
        bytes: new Uint8Array(data),
        mimeType: `image/${format}`,
        width: info.width,
        height: info.height,
      };
    },
  };
}
