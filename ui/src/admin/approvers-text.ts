// Named approvers as the settings form edits them: users (ids or emails) and roles, each a
// comma-separated text field. Pure: the form's draft and what it saves.

export interface ApproversValue {
  readonly users: readonly string[];
  readonly roles: readonly string[];
}

/** What the form's two fields hold. */
export interface ApproversText {
  readonly users: string;
  readonly roles: string;
}

export const approversText = (a: ApproversValue | undefined): ApproversText => ({
  users: (a?.users ?? []).join(', '),
  roles: (a?.roles ?? []).join(', '),
});

/** The names in a field: split on commas (and spaces, since names have none), trimmed, each once. */
export const namesIn = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export const approversOf = (t: ApproversText): { users: string[]; roles: string[] } => ({
  users: namesIn(t.users),
  roles: namesIn(t.roles),
});

/** Whether the fields name anyone (else anyone with the permission decides). */
export const namesSomeone = (t: ApproversText): boolean =>
  namesIn(t.users).length > 0 || namesIn(t.roles).length > 0;

/** A role name as roles are named (lowercase letters, digits, '-'); a message when not. */
export function rolesProblem(t: ApproversText): string | null {
  const bad = namesIn(t.roles).filter((r) => !/^[a-z0-9][a-z0-9-]*$/.test(r));
  return bad.length > 0 ? `Not a role name: ${bad.join(', ')}` : null;
}
