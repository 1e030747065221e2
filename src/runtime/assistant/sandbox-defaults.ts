// Where the Assistant may use its model and send personal data to it, by default: the environment
// (WAYMARK_AI_SANDBOXES: comma list or *, default *; WAYMARK_AI_PERSONAL_DATA_SANDBOXES: comma list
// or *, default none). A sandbox's own settings (`assistant: {model, personalData}`, stored by the
// sandbox registry once changed there) take precedence.

export interface AssistantSandboxSettings {
  /** Whether the Assistant uses the configured model here (without one it answers without either way). */
  readonly model: boolean;
  /** Whether personal data (emails, phone numbers) may reach the model from here. */
  readonly personalData: boolean;
}

/** The settings changed in a sandbox: the keys absent follow the default. */
export type AssistantOverrides = Partial<AssistantSandboxSettings>;

export const sandboxSet = (
  raw: string | undefined,
  fallback: '*' | 'none',
): ((sandbox: string) => boolean) => {
  const v = (raw ?? fallback).trim();
  if (v === '*') return () => true;
  const names = new Set(
    v === 'none'
      ? []
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
  );
  return (sandbox: string) => names.has(sandbox);
};

export function assistantDefaultsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): (sandbox: string) => AssistantSandboxSettings {
  const model = sandboxSet(env['WAYMARK_AI_SANDBOXES'], '*');
  const personalData = sandboxSet(env['WAYMARK_AI_PERSONAL_DATA_SANDBOXES'], 'none');
  return (sandbox) => ({ model: model(sandbox), personalData: personalData(sandbox) });
}
