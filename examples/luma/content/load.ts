// Reads the lab's content objects from this folder into a ContentLibrary (for the demo, tests, bench).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fragmentSchema, type Fragment } from '../../../src/model/fragment.ts';
import {
  contentTemplateSchema,
  type ContentTemplate,
} from '../../../src/model/content-template.ts';
import {
  languageSettingsSchema,
  type LanguageSettings,
} from '../../../src/model/language-settings.ts';
import { assetSchema, type Asset } from '../../../src/model/asset.ts';
import { messageContentSchema, type MessageContent } from '../../../src/model/message-content.ts';
import type { ContentLibrary } from '../../../src/content/index.ts';
import { PACKAGE_ROOT } from '../../../src/package-files.ts';

// From the package root: the build bundles this module into dist/ and ships the JSON beside it.
const here = join(PACKAGE_ROOT, 'examples', 'luma', 'content');
const read = (name: string): unknown =>
  JSON.parse(readFileSync(join(here, name), 'utf8')) as unknown;

export class LumaContentLibrary implements ContentLibrary {
  readonly fragments = new Map<string, Fragment>();
  readonly templates = new Map<string, ContentTemplate>();
  readonly settings = new Map<string, LanguageSettings>();
  readonly assets = new Map<string, Asset>();
  fragment(id: string): Fragment | undefined {
    return this.fragments.get(id);
  }
  contentTemplate(id: string): ContentTemplate | undefined {
    return this.templates.get(id);
  }
  languageSettings(id: string): LanguageSettings | undefined {
    return this.settings.get(id);
  }
  asset(id: string): Asset | undefined {
    return this.assets.get(id);
  }
  /** Set by the server to its rendition URL scheme; absent, image blocks use the asset URL. */
  renditionUrl?: ContentLibrary['renditionUrl'];
}

export function loadLumaContent(): {
  library: LumaContentLibrary;
  orderConfirmationEmail: MessageContent;
} {
  const lib = new LumaContentLibrary();
  for (const f of read('fragments.json') as unknown[]) {
    const p = fragmentSchema.parse(f);
    lib.fragments.set(p.id, p);
  }
  for (const a of read('assets.json') as unknown[]) {
    const p = assetSchema.parse(a);
    lib.assets.set(p.id, p);
  }
  for (const s of read('language-settings.json') as unknown[]) {
    const p = languageSettingsSchema.parse(s);
    lib.settings.set(p.id, p);
  }
  for (const t of ['luma-abandoned-push.json', 'luma-cart-abandoned-email.json']) {
    const p = contentTemplateSchema.parse(read(t));
    lib.templates.set(p.id, p);
  }
  return {
    library: lib,
    orderConfirmationEmail: messageContentSchema.parse(read('order-confirmation-email.json')),
  };
}
