// The part of http_ece (Encrypted Content-Encoding, RFC 8188) the local push service uses.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  interface DecryptParams {
    readonly version: 'aes128gcm';
    /** The receiver's ECDH key pair (the browser's). */
    readonly privateKey: ECDH;
    readonly authSecret: Buffer | string;
  }
  export function decrypt(body: Buffer, params: DecryptParams): Buffer;
}
