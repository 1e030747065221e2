// The server's validation messages ("Invalid input: expected record, received number") in plain
// words ("schema must be a group of fields, not a number"), for people who never read a schema.
const WORDS: Record<string, string> = {
  record: 'a group of fields',
  object: 'a group of fields',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  integer: 'a whole number',
  array: 'a list',
  boolean: 'yes or no (true or false)',
  undefined: 'nothing',
  null: 'empty (null)',
  nothing: 'nothing',
};
const word = (t: string) => WORDS[t] ?? t;

/** The field a path ends on: "rules[0].cap" → "cap", "(root)" → "the definition". */
export function fieldOf(path: string): string {
  const m = /([A-Za-z_$][\w$]*)(\[\d+\])*$/.exec(path);
  return m?.[1] ?? 'the definition';
}

export function plainIssue(i: { path: string; message: string }): string {
  const field = fieldOf(i.path);
  const typed = /expected (\w+), received (\w+)/i.exec(i.message);
  if (typed) {
    if (typed[2] === 'undefined') return `Fill in ${field}: it is required (${word(typed[1]!)}).`;
    return `${field} must be ${word(typed[1]!)}, not ${word(typed[2]!)}.`;
  }
  const option = /Invalid option: expected one of (.+)$/i.exec(i.message);
  if (option) return `Choose ${field}: one of ${option[1]!.replace(/\|/g, ', ')}.`;
  const tooSmall = /Too small: expected (string|array) to have >=?(\d+)/i.exec(i.message);
  if (tooSmall)
    return tooSmall[1] === 'string'
      ? `Fill in ${field}.`
      : `Add at least ${tooSmall[2]} to ${field}.`;
  return /^[a-z]/.test(i.message) ? `${field}: ${i.message}` : i.message;
}
