// Pre-send check answers (POST /v1/content/check), pure: grouping and the size line.

export interface CheckIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  blockId?: string;
  field?: string;
}
export interface CheckAnswer {
  issues: CheckIssue[];
  sizeBytes: number;
}

export const GMAIL_CLIP_KB = 102;
export const sizeText = (bytes: number): string =>
  `${(bytes / 1024).toFixed(1)} KB of ${GMAIL_CLIP_KB} KB`;

/** Errors first, then warnings, each kept in the server's order. */
export function groupIssues(
  issues: readonly CheckIssue[],
): Array<{ severity: 'error' | 'warning'; items: CheckIssue[] }> {
  return (['error', 'warning'] as const)
    .map((severity) => ({ severity, items: issues.filter((i) => i.severity === severity) }))
    .filter((g) => g.items.length > 0);
}
