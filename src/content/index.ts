// The content API: compile a message once (parsing, fragments, MJML), render it per profile.
export { compileMessage, localized, isStale } from './compile-message.ts';
export type {
  ContentLibrary,
  RenderInput,
  RenderOutcome,
  CompiledMessage,
  CompileMessageResult,
  CompileMessageOptions,
} from './types.ts';
export type { ContentDiagnostic } from './diagnostics.ts';
export {
  defaultLimits,
  withRenderLimits,
  MAX_RENDER_CHARS,
  type ContentLimits,
  type RenderLimits,
  type LimitDetails,
  type LimitName,
} from './limits.ts';
export { smsSegments } from './sms.ts';
export { resolveLocale } from './locale.ts';
export { checkTemplateEdit, applyContentTemplate, type LockViolation } from './governance.ts';
export { editableFields, type EditableField } from './fragments.ts';
export {
  translateContent,
  runTranslationProject,
  translationLockViolation,
  startProject,
  advanceTarget,
  projectStatus,
  isLockedForTranslation,
  TranslationStatus,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationProject,
} from './translation.ts';
export { renderInline, type InlineResult } from './inline.ts';
export type { ContentScope } from './schema-scope.ts';
export { createLibrary, CompileCache, type LibraryObjects } from './library.ts';
