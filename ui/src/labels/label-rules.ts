// The rules of access labels as the console explains them (src/model/labels.ts is the server's
// schema): a valid name, each once, at most 20, and only labels the person's role holds. Pure.

export const MAX_LABELS = 20;
export const LABEL = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const LABEL_RULE =
  'A label is lowercase letters, digits and hyphens, starts with a letter or digit, and is at most 40 characters.';
/** The field's one line of help, naming the object ("this journey") where the caller knows it. */
export const accessHelp = (what = 'this object') =>
  `Only people whose role holds every label on ${what} can see it.`;

/** Why `text` cannot be added to `labels`, in a sentence; null when it can. */
export function refusal(
  text: string,
  labels: readonly string[],
  held: '*' | readonly string[] | null,
): string | null {
  if (text === '') return null;
  if (!LABEL.test(text)) {
    if (/[A-Z]/.test(text) && LABEL.test(text.toLowerCase()))
      return `Use lowercase: "${text.toLowerCase()}". ${LABEL_RULE}`;
    return LABEL_RULE;
  }
  if (labels.includes(text)) return `"${text}" is already on this object.`;
  if (labels.length >= MAX_LABELS) return `At most ${MAX_LABELS} labels.`;
  if (held !== null && held !== '*' && !held.includes(text))
    return `Your role does not hold "${text}", so you cannot add it. An administrator can add it to your role.`;
  return null;
}

/** Whether the role may add or remove `label` (null: not known yet, the server decides). */
export const mayUse = (held: '*' | readonly string[] | null, label: string) =>
  held === null || held === '*' || held.includes(label);
