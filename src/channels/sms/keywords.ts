// Inbound SMS keywords (pure): the carrier-standard opt-out and opt-in words change the profile's
// SMS marketing consent; HELP asks for the help message. The whole message must be the keyword
// (surrounding spaces and punctuation ignored, any case), as carriers and Twilio match them.

export type InboundKeyword =
  | {
      readonly kind: 'consent';
      readonly channel: 'sms';
      readonly consent: 'out' | 'in';
      readonly keyword: string;
    }
  | { readonly kind: 'help'; readonly keyword: string };

export const OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
  'ARRET',
];
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'YES', 'UNSTOP', 'OPTIN'];
export const HELP_KEYWORDS: readonly string[] = ['HELP', 'INFO', 'AIDE'];

/** The consent change (or help request) an inbound message asks for; null for ordinary text. */
export function parseInboundKeyword(body: string): InboundKeyword | null {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/^[\s"'.!?]+|[\s"'.!?]+$/g, '')
    .toUpperCase();
  if (word === '' || /\s/.test(word)) return null;
  if (OPT_OUT_KEYWORDS.includes(word))
    return { kind: 'consent', channel: 'sms', consent: 'out', keyword: word };
  if (OPT_IN_KEYWORDS.includes(word))
    return { kind: 'consent', channel: 'sms', consent: 'in', keyword: word };
  if (HELP_KEYWORDS.includes(word)) return { kind: 'help', keyword: word };
  return null;
}
