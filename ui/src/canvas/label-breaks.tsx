// Activity labels that wrap between words: long identifiers (LumaCheckoutEvent_Email) get break
// opportunities after "_" and at camelCase humps, so the browser never cuts "LumaCheckoutEv|ent".
import { Fragment } from 'react';
import type { ReactNode } from 'react';

/** The pieces of a label between which a line may break (pure; joined they give the label back). */
export function breakPieces(label: string): string[] {
  // After _ . - / and before an upper-case letter that follows a lower-case one or a digit.
  return label.split(/(?<=[_./-])|(?<=[a-z0-9])(?=[A-Z])/).filter((s) => s !== '');
}

/** The label with <wbr> at each break opportunity. */
export function Breakable(p: { text: string }): ReactNode {
  const pieces = breakPieces(p.text);
  return pieces.map((s, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {s}
    </Fragment>
  ));
}
