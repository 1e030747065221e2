// What people call a stored object: lists (GET /v1/<kind>) and the quick search show the same.

/** A stored object's display name: its spec's `name` (or `title`, or `label`) when it has one, else its key. */
export function displayName(key: string, body: unknown): string {
  const b = body as { name?: unknown; title?: unknown; label?: unknown } | null;
  for (const v of [b?.name, b?.title, b?.label])
    if (typeof v === 'string' && v.trim() !== '') return v;
  return key;
}
