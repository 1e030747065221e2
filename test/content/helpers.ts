// Shared fixtures for content tests: an in-memory library and render inputs.
import type { ContentLibrary, RenderInput } from '../../src/content/index.ts';
import { fragmentSchema, type Fragment, type FragmentInput } from '../../src/model/fragment.ts';
import {
  contentTemplateSchema,
  type ContentTemplate,
  type ContentTemplateInput,
} from '../../src/model/content-template.ts';
import {
  languageSettingsSchema,
  type LanguageSettings,
  type LanguageSettingsInput,
} from '../../src/model/language-settings.ts';
import { assetSchema, type Asset, type AssetInput } from '../../src/model/asset.ts';

export class MemoryLibrary implements ContentLibrary {
  readonly fragments = new Map<string, Fragment>();
  readonly templates = new Map<string, ContentTemplate>();
  readonly settings = new Map<string, LanguageSettings>();
  readonly assets = new Map<string, Asset>();
  addFragment(f: FragmentInput): this {
    const p = fragmentSchema.parse(f);
    this.fragments.set(p.id, p);
    return this;
  }
  addTemplate(t: ContentTemplateInput): this {
    const p = contentTemplateSchema.parse(t);
    this.templates.set(p.id, p);
    return this;
  }
  addSettings(s: LanguageSettingsInput): this {
    const p = languageSettingsSchema.parse(s);
    this.settings.set(p.id, p);
    return this;
  }
  addAsset(a: AssetInput): this {
    const p = assetSchema.parse(a);
    this.assets.set(p.id, p);
    return this;
  }
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
}

export const emptyLibrary = new MemoryLibrary();

export function input(
  profile: unknown,
  more: {
    events?: Record<string, unknown>;
    actions?: Record<string, unknown>;
    audiences?: Record<string, 'realized' | 'exited'>;
    now?: number;
  } = {},
): RenderInput {
  return {
    profile,
    context: {
      journey: {
        events: more.events ?? {},
        actions: more.actions ?? {},
        technicalProperties: { journeyUID: 'j-1' },
      },
    },
    audiences: more.audiences ?? {},
    now: more.now ?? Date.UTC(2026, 10, 28, 12, 0, 0),
  };
}
