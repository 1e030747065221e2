// Building blocks for callers: an in-memory ContentLibrary from plain objects (validated), and a
// cache of compiled messages that recompiles when the content or a fragment it uses changes.
import { fragmentSchema, type Fragment } from '../model/fragment.ts';
import { contentTemplateSchema, type ContentTemplate } from '../model/content-template.ts';
import { languageSettingsSchema, type LanguageSettings } from '../model/language-settings.ts';
import { assetSchema, type Asset } from '../model/asset.ts';
import type { MessageContent, MessageContentInput } from '../model/message-content.ts';
import type { CompileMessageOptions, CompileMessageResult, ContentLibrary } from './types.ts';
import { compileMessage, isStale } from './compile-message.ts';

export interface LibraryObjects {
  readonly fragments?: readonly unknown[];
  readonly contentTemplates?: readonly unknown[];
  readonly languageSettings?: readonly unknown[];
  readonly assets?: readonly unknown[];
}

/** Validates every object (throws the first schema error, with its kind and index) and indexes them by id. */
export function createLibrary(
  objects: LibraryObjects,
): ContentLibrary & { readonly fragments: ReadonlyMap<string, Fragment> } {
  const index = <T extends { id: string }>(
    list: readonly unknown[] | undefined,
    parse: (v: unknown) => T,
    kind: string,
  ): Map<string, T> => {
    const m = new Map<string, T>();
    (list ?? []).forEach((v, i) => {
      try {
        const p = parse(v);
        m.set(p.id, p);
      } catch (e) {
        throw new Error(`${kind}[${i}]: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    return m;
  };
  const fragments = index(objects.fragments, (v) => fragmentSchema.parse(v), 'fragments');
  const templates = index<ContentTemplate>(
    objects.contentTemplates,
    (v) => contentTemplateSchema.parse(v),
    'contentTemplates',
  );
  const settings = index<LanguageSettings>(
    objects.languageSettings,
    (v) => languageSettingsSchema.parse(v),
    'languageSettings',
  );
  const assets = index<Asset>(objects.assets, (v) => assetSchema.parse(v), 'assets');
  return {
    fragments,
    fragment: (id) => fragments.get(id),
    contentTemplate: (id) => templates.get(id),
    languageSettings: (id) => settings.get(id),
    asset: (id) => assets.get(id),
  };
}

/**
 * Compiled messages by caller key (e.g. journey version + activity id). An entry is reused while the
 * content is the same object and no fragment it uses has a new version; least recently used entries go first.
 */
export class CompileCache {
  private readonly entries = new Map<
    string,
    { content: MessageContent | MessageContentInput; result: CompileMessageResult }
  >();
  constructor(private readonly max = 1000) {}

  async compile(
    key: string,
    content: MessageContent | MessageContentInput,
    library: ContentLibrary,
    options?: CompileMessageOptions,
  ): Promise<CompileMessageResult> {
    const hit = this.entries.get(key);
    if (
      hit !== undefined &&
      hit.content === content &&
      !(hit.result.ok && isStale(hit.result.message, library))
    ) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.result;
    }
    const result = await compileMessage(content, library, options);
    this.entries.set(key, { content, result });
    if (this.entries.size > this.max)
      this.entries.delete(this.entries.keys().next().value as string);
    return result;
  }

  get size(): number {
    return this.entries.size;
  }
}
