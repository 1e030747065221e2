// A read-only designer (a live or closed journey version's email): the parts read this to hide or
// disable their edits; the designer also refuses every change with READ_ONLY_MESSAGE, so a part
// that does not read it still cannot change the message.
import { createContext, useContext } from 'react';

export const READ_ONLY_MESSAGE = 'This version is live: create a new version to edit it.';

export const DesignerReadOnly = createContext(false);

/** True when the designer shows a message that must not change. */
export const useDesignerReadOnly = (): boolean => useContext(DesignerReadOnly);
