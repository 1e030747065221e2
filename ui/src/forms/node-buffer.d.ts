// src/model/custom-action.ts (imported for its schema) base64-encodes Basic credentials with Node's
// Buffer inside buildActionRequest, which the console never calls; the console's tsconfig has no Node
// types, so this names just what that line uses.
declare const Buffer: {
  from(text: string, encoding: string): { toString(encoding: string): string };
};
