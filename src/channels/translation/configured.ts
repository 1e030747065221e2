// The translation providers a server offers, from its configuration (environment): Azure AI
// Translator, DeepL, and the development translator (serve --demo, or WAYMARK_TRANSLATOR=development).
// Keys are secrets: they stay inside the adapters, never in what `describe` returns or in logs.
import type { TranslationProvider } from '../../content/translation.ts';
import type { OutboundPolicy } from '../outbound/index.ts';
import { azureTranslator } from './azure-translator.ts';
import { deeplTranslator } from './deepl.ts';
import { DEVELOPMENT_TRANSLATOR_NAME, developmentTranslator } from './development-translator.ts';

export type TranslatorKind = 'development' | 'azure' | 'deepl';

export type TranslatorConfig =
  | { readonly kind: 'development' }
  | {
      readonly kind: 'azure';
      readonly key: string;
      readonly region?: string;
      readonly endpoint?: string;
      readonly timeoutMs?: number;
    }
  | {
      readonly kind: 'deepl';
      readonly key: string;
      readonly endpoint?: string;
      readonly timeoutMs?: number;
    };

/** What the API shows of a provider: never its key or endpoint. */
export interface TranslatorInfo {
  readonly name: string;
  readonly kind: TranslatorKind;
  readonly development: boolean;
}

export interface ConfiguredTranslator extends TranslatorInfo {
  /** The adapter for one sandbox: its calls go through that sandbox's outbound policy. */
  provider(outbound: OutboundPolicy): TranslationProvider;
}

export const AZURE_TRANSLATOR_NAME = 'azure-translator';
export const DEEPL_NAME = 'deepl';

export function configuredTranslator(c: TranslatorConfig): ConfiguredTranslator {
  switch (c.kind) {
    case 'development':
      return {
        name: DEVELOPMENT_TRANSLATOR_NAME,
        kind: 'development',
        development: true,
        provider: () => developmentTranslator(),
      };
    case 'azure':
      return {
        name: AZURE_TRANSLATOR_NAME,
        kind: 'azure',
        development: false,
        provider: (outbound) =>
          azureTranslator({
            endpoint: c.endpoint ?? 'https://api.cognitive.microsofttranslator.com',
            key: c.key,
            outbound,
            ...(c.region !== undefined ? { region: c.region } : {}),
            ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
          }),
      };
    case 'deepl':
      return {
        name: DEEPL_NAME,
        kind: 'deepl',
        development: false,
        // Free-plan keys end in ":fx" and live on api-free.deepl.com.
        provider: (outbound) =>
          deeplTranslator({
            endpoint:
              c.endpoint ??
              (c.key.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com'),
            key: c.key,
            outbound,
            ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
          }),
      };
  }
}

/**
 * Providers from the environment: AZURE_TRANSLATOR_KEY (with AZURE_TRANSLATOR_REGION,
 * AZURE_TRANSLATOR_ENDPOINT), DEEPL_AUTH_KEY (with DEEPL_API_URL), and the development translator
 * with `demo` or WAYMARK_TRANSLATOR=development. WAYMARK_TRANSLATOR (azure, deepl or development)
 * names the default; otherwise the first of azure, deepl, development configured.
 */
export function translatorsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  opts: { demo: boolean },
): { configs: TranslatorConfig[]; defaultKind: TranslatorKind | null } {
  const value = (name: string): string | undefined =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];
  const wanted = value('WAYMARK_TRANSLATOR');
  if (
    wanted !== undefined &&
    wanted !== 'azure' &&
    wanted !== 'deepl' &&
    wanted !== 'development'
  ) {
    throw new Error(`WAYMARK_TRANSLATOR must be azure, deepl or development, not "${wanted}"`);
  }
  const configs: TranslatorConfig[] = [];
  const azureKey = value('AZURE_TRANSLATOR_KEY');
  if (azureKey !== undefined) {
    const region = value('AZURE_TRANSLATOR_REGION');
    const endpoint = value('AZURE_TRANSLATOR_ENDPOINT');
    configs.push({
      kind: 'azure',
      key: azureKey,
      ...(region !== undefined ? { region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
  }
  const deeplKey = value('DEEPL_AUTH_KEY');
  if (deeplKey !== undefined) {
    const endpoint = value('DEEPL_API_URL');
    configs.push({ kind: 'deepl', key: deeplKey, ...(endpoint !== undefined ? { endpoint } : {}) });
  }
  if (opts.demo || wanted === 'development') configs.push({ kind: 'development' });
  if (wanted === 'azure' && azureKey === undefined)
    throw new Error(
      'WAYMARK_TRANSLATOR=azure needs AZURE_TRANSLATOR_KEY (and AZURE_TRANSLATOR_REGION for a regional resource)',
    );
  if (wanted === 'deepl' && deeplKey === undefined)
    throw new Error('WAYMARK_TRANSLATOR=deepl needs DEEPL_AUTH_KEY');
  return { configs, defaultKind: wanted ?? configs[0]?.kind ?? null };
}
