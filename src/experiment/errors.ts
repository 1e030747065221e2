import { ErrorCode, WaymarkError } from '../errors.ts';
import type { ErrorIssue } from '../errors.ts';

/** What was wrong: the split of an experiment, or the counts given to its analysis. */
export type ExperimentErrorKind = 'invalid-split' | 'invalid-analysis-input';

/**
 * A bad experiment configuration or analysis input (a 4xx: `validation_failed`). `issues` says
 * where (a path such as `arms[1].percent`), what was expected and what came.
 */
export class ExperimentError extends WaymarkError {
  readonly kind: ExperimentErrorKind;

  constructor(kind: ExperimentErrorKind, message: string, issues: readonly ErrorIssue[]) {
    super(ErrorCode.ValidationFailed, `${message}: ${issues.map(describe).join('; ')}`, {
      issues,
    });
    this.name = 'ExperimentError';
    this.kind = kind;
  }
}

function describe(issue: ErrorIssue): string {
  const got = issue.received === undefined ? '' : ` (got ${issue.received})`;
  return `${issue.path}: ${issue.message}${got}`;
}

/** Collects issues; `throwIfAny` raises one ExperimentError listing them all. */
export class IssueList {
  private readonly issues: ErrorIssue[] = [];

  add(path: string, message: string, expected: string, received: unknown): void {
    this.issues.push({ path, message, expected, received: show(received) });
  }

  throwIfAny(kind: ExperimentErrorKind, message: string): void {
    if (this.issues.length > 0) throw new ExperimentError(kind, message, this.issues);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
