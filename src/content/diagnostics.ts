// Compile-time findings. Each names the field (or document block) and the line in that field's source.

export interface ContentDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Which field: "subject", "html", "document.body[2].columns[0].blocks[1].content", "push.title"... */
  readonly field: string;
  /** The document block id, when the field belongs to one. */
  readonly block?: string;
  /** 1-based line and column in the field's source, when known. */
  readonly line?: number;
  readonly column?: number;
  readonly code: string;
  readonly message: string;
}

export interface FieldRef {
  readonly field: string;
  readonly block?: string;
}

export function diag(
  ref: FieldRef,
  code: string,
  message: string,
  line?: number,
  column?: number,
  severity: 'error' | 'warning' = 'error',
): ContentDiagnostic {
  return {
    severity,
    field: ref.field,
    ...(ref.block === undefined ? {} : { block: ref.block }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    code,
    message,
  };
}
