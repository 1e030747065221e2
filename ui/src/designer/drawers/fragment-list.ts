// The fragment drawer's list: stored fragment objects (GET /v1/fragments) as the drawer shows them,
// email fragments only, with their kind and a status that says what a draft or archived one does. Pure.

export interface Listed {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly status: 'draft' | 'live' | 'archived';
  readonly kind: 'visual' | 'expression';
  readonly blocks: ReadonlyArray<{ readonly kind?: string; readonly [k: string]: unknown }>;
  readonly source: string;
}

export const STATUS_TEXT = {
  draft: 'Draft: blocks publication',
  archived: 'Archived: blocks publication',
  live: 'Live',
} as const;

/** A stored fragment as listed, or null when it is not for email or has no known content. */
export function toListed(o: {
  key: string;
  spec: Record<string, unknown>;
  archived?: boolean;
}): Listed | null {
  const s = o.spec as {
    id?: string;
    name?: string;
    description?: string;
    status?: string;
    channels?: string[];
    content?: { type?: string; blocks?: unknown; source?: unknown };
  };
  if (s.channels && !s.channels.includes('email')) return null;
  const kind =
    s.content?.type === 'visual'
      ? 'visual'
      : s.content?.type === 'expression'
        ? 'expression'
        : null;
  if (!kind) return null;
  const status =
    o.archived || s.status === 'archived' ? 'archived' : s.status === 'draft' ? 'draft' : 'live';
  return {
    id: s.id ?? o.key,
    name: s.name ?? o.key,
    ...(s.description ? { description: s.description } : {}),
    status,
    kind,
    blocks: Array.isArray(s.content?.blocks) ? (s.content.blocks as Listed['blocks']) : [],
    source: typeof s.content?.source === 'string' ? s.content.source : '',
  };
}
