// Translation projects (src/runtime/translation-projects.ts).

/**
 * A translation project (src/runtime/translation-projects.ts) as stored: its status and times as
 * columns (lists and the restart's resume read them), the rest as one JSON document.
 */
export interface TranslationProjectRow {
  readonly sandbox: string;
  readonly id: string;
  readonly status: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly body: unknown;
}

export interface TranslationProjectRepository {
  /** Creates or replaces (by sandbox and id); the creation time stays the first one written. */
  putTranslationProject(row: TranslationProjectRow): Promise<void>;
  getTranslationProject(sandbox: string, id: string): Promise<TranslationProjectRow | null>;
  /** The sandbox's projects, newest first (creation time, then id). */
  listTranslationProjects(
    sandbox: string,
    opts: { limit: number },
  ): Promise<TranslationProjectRow[]>;
  /** Projects of every sandbox with this status (the restart resumes those in progress), oldest first. */
  translationProjectsWithStatus(status: string): Promise<TranslationProjectRow[]>;
}
