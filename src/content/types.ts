import type { DecidedOffer } from './decisions.ts';
// The public shapes of the content API (re-exported by index.ts).
import type { Fragment } from '../model/fragment.ts';
import type { InAppFrequency, InAppTrigger } from '../model/message-content.ts';
import type { ContentTemplate } from '../model/content-template.ts';
import type { LanguageSettings } from '../model/language-settings.ts';
import type { Asset } from '../model/asset.ts';
import type { ContentDiagnostic } from './diagnostics.ts';
import type { ContentLimits, LimitDetails, RenderLimits } from './limits.ts';
import type { ContentScope } from './schema-scope.ts';

/** A synchronous snapshot of the sandbox's content objects. */
export interface ContentLibrary {
  fragment(id: string): Fragment | undefined;
  contentTemplate(id: string): ContentTemplate | undefined;
  languageSettings(id: string): LanguageSettings | undefined;
  asset(id: string): Asset | undefined;
  /** Public URL of an asset's rendition (width/height/format); without it, image blocks use the asset's URL. */
  renditionUrl?(
    asset: Asset,
    rendition: { readonly width?: number; readonly height?: number; readonly format?: string },
  ): string;
}

export interface RenderInput {
  /** Profile attributes (person.name.firstName, preferredLanguage, ...). */
  profile: unknown;
  context: {
    journey: {
      events: Record<string, unknown>;
      actions: Record<string, unknown>;
      technicalProperties: Record<string, unknown>;
    };
  };
  /** By audience name, for conditional content. */
  audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  /** Epoch ms (injected clock). */
  now: number;
  /** Bounds for this render: a channel configuration's maxRenderChars replaces the compiled one (at most 16 MiB). */
  limits?: RenderLimits;
  /** The offers decided for this render, by decision policy id (`decide "id"` reads them). */
  decisions?: Readonly<Record<string, readonly DecidedOffer[]>>;
  /** Signs landing page links for this profile (`landingPageUrl "slug"` calls it); absent: the helper writes nothing. */
  pageLink?: (slug: string, subPage?: string) => string;
}

/** What every successful render has, whatever its channel. */
interface RenderedCommon {
  locale?: string;
  variants?: Record<string, string>;
  /** What `executionMetadata` captured. */
  metadata?: Record<string, string>;
  warnings: string[];
}

export type RenderOutcome =
  | (RenderedCommon & {
      ok: true;
      channel: 'email';
      subject: string;
      preheader?: string;
      html: string;
      text: string;
    })
  | (RenderedCommon & {
      ok: true;
      channel: 'push';
      title: string;
      body: string;
      ios: Record<string, unknown>;
      android: Record<string, unknown>;
    })
  | (RenderedCommon & {
      ok: true;
      channel: 'sms';
      text: string;
      segments: number;
      encoding: 'GSM-7' | 'UCS-2';
    })
  | (RenderedCommon & {
      ok: true;
      channel: 'inApp';
      layout: 'modal' | 'banner' | 'fullscreen';
      title: string;
      body: string;
      imageUrl?: string;
      buttons: Array<{ id: string; label: string; action: 'url' | 'dismiss'; url?: string }>;
      trigger: InAppTrigger;
      frequency: InAppFrequency;
      expiresAfterHours: number;
    })
  | (RenderedCommon & {
      ok: true;
      channel: 'code';
      surface: string;
      format: 'html' | 'json';
      /** The rendered payload (valid JSON text for the json format). */
      content: string;
    })
  | {
      ok: false;
      reason: 'no_locale' | 'render_error' | 'limit_exceeded';
      message: string;
      limit?: LimitDetails;
    };

export interface CompiledMessage {
  readonly channel: 'email' | 'push' | 'sms' | 'inApp' | 'code';
  /** Locales this message has variants for (empty without language settings). */
  readonly locales: readonly string[];
  /** Fragments used, with the version compiled in (for propagation and audit). */
  readonly fragments: ReadonlyArray<{ readonly id: string; readonly version: number }>;
  /** Warnings found at compile time. */
  readonly warnings: readonly ContentDiagnostic[];
  /** The decision policies its content names (`decide "id"`): the runtime decides them before render. */
  readonly decisionPolicies: readonly string[];
  render(input: RenderInput): RenderOutcome;
}

export type CompileMessageResult =
  { ok: true; message: CompiledMessage } | { ok: false; diagnostics: ContentDiagnostic[] };

export interface CompileMessageOptions {
  readonly limits?: Partial<ContentLimits>;
  /** Schemas of the journey's events, actions and the profile: references are checked against them. */
  readonly scope?: ContentScope;
  /** Email documents: css-class="wm-b-<id>" on sections and blocks (the designer's canvas); off for sent mail. */
  readonly annotate?: boolean;
}
