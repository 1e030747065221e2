// How well a name matches what was typed, pure: exact name first, then the name's start, then a
// word's start, then anywhere in it; an id matching only counts after every name match.

export const Rank = { Exact: 0, Prefix: 1, WordPrefix: 2, Substring: 3, Key: 4 } as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

const isWordChar = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);

/** `name` and `needle` lower-cased; null when the name does not contain the needle. */
export function rankName(name: string, needle: string): Rank | null {
  let at = name.indexOf(needle);
  if (at < 0) return null;
  if (at === 0) return name.length === needle.length ? Rank.Exact : Rank.Prefix;
  for (; at >= 0; at = name.indexOf(needle, at + 1))
    if (!isWordChar(name[at - 1]!)) return Rank.WordPrefix;
  return Rank.Substring;
}

/** The rank of an entry by its name, else by its key (an exact key ranks as a name's start). */
export function rankEntry(nameLower: string, keyLower: string, needle: string): Rank | null {
  const byName = rankName(nameLower, needle);
  if (byName !== null) return byName;
  if (keyLower === needle) return Rank.Prefix;
  return keyLower.includes(needle) ? Rank.Key : null;
}
