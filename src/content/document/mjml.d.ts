// The part of MJML 5's API we use: mjml2html is asynchronous in v5.
declare module 'mjml' {
  interface MjmlError {
    readonly line: number;
    readonly message: string;
    readonly tagName: string;
    readonly formattedMessage: string;
  }
  interface MjmlResult {
    readonly html: string;
    readonly errors: readonly MjmlError[];
  }
  interface MjmlOptions {
    readonly validationLevel?: 'strict' | 'soft' | 'skip';
    readonly keepComments?: boolean;
    readonly minify?: boolean;
    readonly beautify?: boolean;
  }
  export default function mjml2html(source: string, options?: MjmlOptions): Promise<MjmlResult>;
}
