// Content experiments, pure: deterministic assignment of identities to treatments, and the
// statistics of the report. No I/O, no clock, no randomness (docs/experiments.md).
export { murmur3x86_32, utf8 } from './murmur3.ts';
export { BUCKETS, bucketOf, planSplit, treatmentForBucket, assignTreatment } from './assignment.ts';
export type { ArmSplit, SplitPlan } from './assignment.ts';
export { analyzeExperiment, DEFAULT_CONFIDENCE, DEFAULT_MIN_SAMPLE_PER_ARM } from './analysis.ts';
export type {
  AnalysisInput,
  AnalysisReason,
  ArmAnalysis,
  ArmCounts,
  ExperimentAnalysis,
  LiftInterval,
} from './analysis.ts';
export { probabilityToBeBest } from './probability-best.ts';
export type { BetaPosterior } from './probability-best.ts';
export { ExperimentError } from './errors.ts';
export type { ExperimentErrorKind } from './errors.ts';
export { computeMetrics, metricEventTypes, HOUR_MS } from './metrics.ts';
export type {
  ArmMetric,
  HoldoutMember,
  HoldoutMetric,
  MetricInput,
  MetricResult,
  ProfileEvent,
  SentMessage,
  SuccessMetric,
} from './metrics.ts';
