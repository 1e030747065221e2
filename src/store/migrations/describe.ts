// A migration's one-line description, read from its SQL: the tables it creates, the columns it adds,
// the indexes it makes. Migrations stay plain SQL strings (the lists are append-only).

const ident = String.raw`"?([A-Za-z_][A-Za-z0-9_]*)"?`;
const CREATE_TABLE = new RegExp(
  String.raw`CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${ident}`,
  'gi',
);
const ADD_COLUMN = new RegExp(
  String.raw`ALTER\s+TABLE\s+${ident}\s+ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${ident}`,
  'gi',
);
const CREATE_INDEX = new RegExp(
  String.raw`CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?${ident}`,
  'gi',
);
const DROP = new RegExp(
  String.raw`DROP\s+(TABLE|INDEX|COLUMN)\s+(?:IF\s+EXISTS\s+)?${ident}`,
  'gi',
);

const names = (sql: string, re: RegExp, pick: (m: RegExpExecArray) => string): string[] => {
  const out: string[] = [];
  for (const m of sql.matchAll(re)) out.push(pick(m as RegExpExecArray));
  return out;
};

export function describeMigration(sql: string): string {
  const code = sql.replace(/--[^\n]*/g, '');
  const parts: string[] = [];
  const tables = names(code, CREATE_TABLE, (m) => m[1]!);
  if (tables.length) parts.push(`creates ${tables.join(', ')}`);
  const columns = names(code, ADD_COLUMN, (m) => `${m[1]}.${m[2]}`);
  if (columns.length) parts.push(`adds ${columns.join(', ')}`);
  const indexes = names(code, CREATE_INDEX, (m) => m[1]!);
  if (indexes.length) parts.push(`indexes ${indexes.join(', ')}`);
  const drops = names(code, DROP, (m) => `${m[1]!.toLowerCase()} ${m[2]}`);
  if (drops.length) parts.push(`drops ${drops.join(', ')}`);
  if (/\bUPDATE\b/i.test(code)) parts.push('updates rows');
  return parts.length ? parts.join('; ') : code.trim().split('\n')[0]!.trim().slice(0, 100);
}
