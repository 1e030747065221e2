// The content API: compile a message once (parsing, fragments, MJML), render it per profile.
export { compileMessage, localized } from './compile-message.ts';
export type { ContentLibrary, RenderInput, RenderOutcome, CompiledMessage, CompileMessageResult, CompileMessageOptions } from './types.ts';
export type { ContentDiagnostic } from './diagnostics.ts';
export { defaultLimits, type ContentLimits } from './limits.ts';
export { smsSegments } from './sms.ts';
export { resolveLocale } from './locale.ts';
