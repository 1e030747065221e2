// SMS short links (src/runtime/short-links.ts): each http(s) link of a tracked SMS becomes
// `<public URL>/s/<code>`; the row says where the code leads and which message, profile and
// activity a click on it is feedback on. Written when the SMS is sent (before it leaves, so a click
// can never come first), read by the public redirect, erased with the profile, purged once expired.

export interface ShortLinkRow {
  /** Unique across sandboxes: the public URL names no sandbox. */
  readonly code: string;
  readonly sandbox: string;
  readonly messageId: string;
  readonly profileId: string;
  readonly journeyId: string | null;
  readonly version: number | null;
  /** The message activity. */
  readonly node: string | null;
  /** Position of the link in the SMS (0-based). */
  readonly linkId: string;
  /** Where the code leads. */
  readonly url: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface ShortLinkRepository {
  /** Stores a link; false when its code is already taken (the caller draws another). */
  putShortLink(row: ShortLinkRow): Promise<boolean>;
  /** The link of a code (expired ones included: the caller compares with its clock). */
  shortLink(code: string): Promise<ShortLinkRow | null>;
  /** A message's links, by position (a retried send reuses them). */
  shortLinksOfMessage(sandbox: string, messageId: string): Promise<ShortLinkRow[]>;
  /** Deletes at most `limit` links expired at `now` (every sandbox); how many (the retention purge). */
  purgeExpiredShortLinks(now: number, limit: number): Promise<number>;
}
