// DeepL API (v2) adapter for the translation port:
// POST {endpoint}/v2/translate, Authorization: DeepL-Auth-Key <key>,
// body {"text": [...], "source_lang": "EN", "target_lang": "ES", "tag_handling": "html"},
// answer {"translations": [{"detected_source_language": "EN", "text": "..."}]}.
// Template tags travel inside <span translate="no">, which DeepL leaves as they are with HTML handling.
import { WaymarkError, ErrorCode } from '../../errors.ts';
import type { TranslationProvider, TranslationRequest } from '../../content/translation.ts';
import {
  isOutboundRefusal,
  outboundFetch,
  publicReason,
  type OutboundPolicy,
} from '../outbound/index.ts';

export interface DeeplOptions {
  /** https://api.deepl.com (Pro), https://api-free.deepl.com (Free), or a local server in tests. */
  readonly endpoint: string;
  readonly key: string;
  /** The sandbox's outbound policy (app.outbound(sandbox) also allows the provider's public endpoints). */
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
}

/** es_ES -> ES (source) / ES (target); en_GB -> EN-GB and pt_BR -> PT-BR as targets, as DeepL requires. */
export function deeplLanguage(locale: string, role: 'source' | 'target'): string {
  const [lang = '', region = ''] = locale.replace(/-/g, '_').split('_');
  const l = lang.toUpperCase();
  if (role === 'source') return l;
  if (l === 'EN') return region.toUpperCase() === 'GB' ? 'EN-GB' : 'EN-US';
  if (l === 'PT') return region.toUpperCase() === 'PT' ? 'PT-PT' : 'PT-BR';
  if (l === 'ZH') return region === 'TW' || region === 'Hant' ? 'ZH-HANT' : 'ZH-HANS';
  return l;
}

export function deeplTranslator(opts: DeeplOptions): TranslationProvider {
  const base = opts.endpoint.replace(/\/+$/, '');
  return {
    name: 'deepl',
    async translate(req: TranslationRequest): Promise<string[]> {
      if (req.texts.length === 0) return [];
      let res: Response;
      try {
        // A translation may be sent twice (a kept-alive connection closed under it is retried).
        res = await outboundFetch(opts.outbound, { idempotent: true })(`${base}/v2/translate`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `DeepL-Auth-Key ${opts.key}`,
          },
          body: JSON.stringify({
            text: req.texts,
            source_lang: deeplLanguage(req.from, 'source'),
            target_lang: deeplLanguage(req.to, 'target'),
            ...(req.format === 'html' ? { tag_handling: 'html' } : {}),
          }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new WaymarkError(
          ErrorCode.ProviderError,
          isOutboundRefusal(e)
            ? publicReason(e, 'DeepL')
            : `DeepL unreachable: ${publicReason(e, 'DeepL')}`,
          { retryable: !isOutboundRefusal(e), cause: e },
        );
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const message = (body as { message?: unknown } | undefined)?.message;
        throw new WaymarkError(
          ErrorCode.ProviderError,
          `DeepL answered ${res.status}${res.status === 456 ? ' (quota exceeded)' : ''}: ${String(message ?? res.statusText)}`,
          {
            retryable: res.status === 429 || res.status >= 500,
            details: { status: res.status },
          },
        );
      }
      const list = (body as { translations?: Array<{ text?: unknown }> } | undefined)?.translations;
      if (!Array.isArray(list) || list.length !== req.texts.length) {
        throw new WaymarkError(ErrorCode.ProviderError, 'DeepL answered an unexpected body', {
          details: { expected: `${req.texts.length} translations` },
        });
      }
      return list.map((t, i) => (typeof t.text === 'string' ? t.text : (req.texts[i] ?? '')));
    },
  };
}
