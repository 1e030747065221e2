// The unit-of-work module: the only way to write runtime state. A UnitOfWork gathers one
// transaction's reads and writes, the Writer commits it (alone or grouped), the Stepper steps
// instances inside it. Services import this module and never each other.
export {
  UnitOfWork,
  type JourneyStepRecord,
  type PendingJump,
  type SeenEvent,
  type EventsAhead,
} from './unit-of-work.ts';
export {
  Writer,
  MAX_GROUP_WEIGHT,
  type CommitHook,
  type WriterTurn,
  type WriterDeps,
  type SentRecord,
} from './writer.ts';
export {
  Stepper,
  withCaps,
  type EngineAudiences,
  type Memberships,
  type StepperDeps,
} from './stepper.ts';
export type { CatalogWrites, ServiceStore, StoreReads, WriterOnly } from './store-reads.ts';
