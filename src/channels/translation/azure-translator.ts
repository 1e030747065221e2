// Azure AI Translator (Text Translation v3) adapter for the translation port:
// POST {endpoint}/translate?api-version=3.0&from=en&to=es&textType=html, body [{"Text": "..."}],
// answer [{"translations": [{"text": "...", "to": "es"}]}]. Template tags travel inside
// <span class="notranslate">, which the service leaves untranslated.
import { WaymarkError, ErrorCode } from '../../errors.ts';
import type { TranslationProvider, TranslationRequest } from '../../content/translation.ts';
import {
  isOutboundRefusal,
  outboundFetch,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';

export interface AzureTranslatorOptions {
  /** e.g. https://api.cognitive.microsofttranslator.com (a local server in tests). */
  readonly endpoint: string;
  readonly key: string;
  /** The sandbox's outbound policy (app.outbound(sandbox) also allows the provider's public endpoints). */
  readonly outbound: OutboundPolicy;
  /** Resource region, for multi-service or regional resources. */
  readonly region?: string;
  /** Milliseconds before a call is abandoned; default 15000. */
  readonly timeoutMs?: number;
}

/** Locale of our language settings (es_ES, zh_Hans, pt_PT) -> Azure's language code (es, zh-Hans, pt-pt). */
export function azureLanguage(locale: string): string {
  const [lang = '', region = ''] = locale.replace(/-/g, '_').split('_');
  if (lang === 'zh')
    return region === 'TW' || region === 'HK' || region === 'Hant' ? 'zh-Hant' : 'zh-Hans';
  if (lang === 'pt' && region.toUpperCase() === 'PT') return 'pt-pt';
  if (lang === 'fr' && region.toUpperCase() === 'CA') return 'fr-ca';
  return lang.toLowerCase();
}

interface AzureItem {
  translations?: Array<{ text?: unknown; to?: unknown }>;
}

export function azureTranslator(opts: AzureTranslatorOptions): TranslationProvider {
  const base = opts.endpoint.replace(/\/+$/, '');
  return {
    name: 'azure-translator',
    async translate(req: TranslationRequest): Promise<string[]> {
      if (req.texts.length === 0) return [];
      const url = `${base}/translate?api-version=3.0&from=${encodeURIComponent(azureLanguage(req.from))}&to=${encodeURIComponent(azureLanguage(req.to))}&textType=${req.format}`;
      let res: Response;
      try {
        // A translation may be sent twice (a kept-alive connection closed under it is retried).
        res = await outboundFetch(opts.outbound, { idempotent: true })(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=UTF-8',
            'Ocp-Apim-Subscription-Key': opts.key,
            ...(opts.region === undefined ? {} : { 'Ocp-Apim-Subscription-Region': opts.region }),
          },
          body: JSON.stringify(req.texts.map((Text) => ({ Text }))),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new WaymarkError(
          ErrorCode.ProviderError,
          isOutboundRefusal(e)
            ? publicReason(e, 'the translator')
            : `translator unreachable: ${publicReason(e, 'the translator')}`,
          { retryable: !isOutboundRefusal(e), cause: e },
        );
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        throw new WaymarkError(
          ErrorCode.ProviderError,
          `translator answered ${res.status}: ${String(err?.message ?? res.statusText)}`,
          {
            retryable: res.status === 429 || res.status >= 500,
            details: { status: res.status, code: err?.code },
          },
        );
      }
      if (!Array.isArray(body) || body.length !== req.texts.length) {
        throw new WaymarkError(ErrorCode.ProviderError, 'translator answered an unexpected body', {
          details: { expected: `${req.texts.length} items` },
        });
      }
      return (body as AzureItem[]).map((item, i) => {
        const text = item.translations?.[0]?.text;
        return typeof text === 'string' ? text : (req.texts[i] ?? '');
      });
    },
  };
}
