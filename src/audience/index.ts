// Audiences: definitions compiled once, evaluated streaming (per profile change, with time windows
// that expire on their own), in batch (size and sample), and uploaded from CSV. Pure: no clock, no I/O.
export type {
  AudienceDependencies,
  CompileResult,
  CompiledAudience,
  Evaluation,
  KnownNames,
  MembershipChange,
  ProfileEvent,
  ProfileFeedback,
  ProfileSnapshot,
} from './types.ts';
export { compileAudience } from './compile.ts';
export { evaluateMemberships, stampMemberships, streamingOrder } from './memberships.ts';
export type { MembershipResult } from './memberships.ts';
export { evaluateBatch, extendSample } from './batch.ts';
export type { BatchOptions, BatchResult } from './batch.ts';
export { applyUpload, parseAudienceCsv } from './csv.ts';
export type { CsvParseResult, UploadMode, UploadedRow } from './csv.ts';
export { audienceFromFeedback } from './from-report.ts';
export type { FeedbackAudienceRequest } from './from-report.ts';
export { readPath, splitPath } from './path.ts';
export { qualificationTriggers, readAllowance, readOffsetMs, selectReadAudience } from './read.ts';
export type { AudienceMember, ReadSelection } from './read.ts';
export { attributeProjection, readsEventType, snapshotNeeds } from './needs.ts';
export type { SnapshotNeeds } from './needs.ts';
