// The store as everything but the writer sees it. Journey state, profiles, timers, the outbox and
// the delivery log change only in a unit of work that the writer commits (writer.ts); services
// get the port without those writes (ServiceStore: they still own their catalog writes, objects
// and journey versions and settings); routes get reads only (StoreReads).
import type { Store } from '../../store/ports.ts';

/**
 * The store port's methods that write runtime state outside a unit of work: only the writer calls
 * them (commit and the outbox marks), or lets a task call them on its queue (purges, erasure).
 */
export type WriterOnly =
  | 'commit'
  | 'markOutboxAttempting'
  | 'markOutboxSent'
  | 'markOutboxSentMany'
  | 'purgeVersionRuntime'
  | 'purgeEvents'
  | 'eraseSandbox'
  | 'close';

/**
 * The catalog-side writes, each with an owning service (objects, journeys, settings, translation
 * projects, the audit log, the Assistant's conversations and feedback, decisions, landing pages' counters, SMS short links): none is journey state.
 */
export type CatalogWrites =
  | 'putObject'
  | 'deleteObject'
  | 'replaceObjectIfRevision'
  | 'putJourneyVersion'
  | 'deleteJourneyVersion'
  | 'replaceJourneyVersionIfRevision'
  | 'putSetting'
  | 'putTranslationProject'
  | 'appendAudit'
  | 'purgeAudit'
  | 'putConversation'
  | 'purgeConversations'
  | 'purgeExpiredInApp'
  | 'putShortLink'
  | 'purgeExpiredShortLinks'
  | 'appendAssistantFeedback'
  | 'recordProposition'
  | 'countLandingPage';

/** The store for the runtime's services: every read, and the catalog writes they own; never a runtime write. */
export type ServiceStore = Omit<Store, WriterOnly>;

/** The store for routes, the CLI and tests: reads only. */
export type StoreReads = Omit<Store, WriterOnly | CatalogWrites>;
