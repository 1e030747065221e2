// The storage port. The engine reads what a batch needs, computes in memory (pure core), then
// commits everything the batch changed in one call: one transaction per batch (group commit).
// `Store` is the composition of one repository per area, each in its own file under ports/ (the
// adapters, sqlite/ and postgres/, have one file of the same name implementing each), and of the
// one write, `commit` (ports/batch.ts; its semantics, shared by both adapters: batch/plan.ts).
import type { AssistantRepository } from './ports/assistant.ts';
import type { AudienceRepository } from './ports/audiences.ts';
import type { AuditRepository } from './ports/audit.ts';
import type { BacklogRepository } from './ports/backlog.ts';
import type { BatchRepository } from './ports/batch.ts';
import type { EventRepository } from './ports/events.ts';
import type { InAppRepository } from './ports/in-app.ts';
import type { ShortLinkRepository } from './ports/short-links.ts';
import type { InstanceRepository } from './ports/instances.ts';
import type { JourneyRepository } from './ports/journeys.ts';
import type { ObjectRepository } from './ports/objects.ts';
import type { OfferRepository } from './ports/offers.ts';
import type { LandingPageRepository } from './ports/landing-pages.ts';
import type { OutboxRepository } from './ports/outbox.ts';
import type { PartitionRepository } from './ports/partitions.ts';
import type { ProfileRepository } from './ports/profiles.ts';
import type { ReportRepository } from './ports/reports.ts';
import type { RetentionRepository } from './ports/retention.ts';
import type { SandboxDataRepository } from './ports/sandboxes.ts';
import type { SuppressionRepository } from './ports/suppressions.ts';
import type { WebhookDeliveryRepository } from './ports/webhooks.ts';
import type { ExportRepository } from './ports/exports.ts';
import type { TestRunRepository } from './ports/test-runs.ts';
import type { TimerRepository } from './ports/timers.ts';
import type { TranslationProjectRepository } from './ports/translation-projects.ts';

export type * from './ports/assistant.ts';
export type * from './ports/audiences.ts';
export type * from './ports/audit.ts';
export type * from './ports/backlog.ts';
export type * from './ports/batch.ts';
export type * from './ports/events.ts';
export type * from './ports/in-app.ts';
export type * from './ports/short-links.ts';
export type * from './ports/instances.ts';
export type * from './ports/journeys.ts';
export type * from './ports/objects.ts';
export type * from './ports/offers.ts';
export type * from './ports/landing-pages.ts';
export type * from './ports/outbox.ts';
export type * from './ports/partitions.ts';
export type * from './ports/profiles.ts';
export type * from './ports/reports.ts';
export type * from './ports/retention.ts';
export type * from './ports/sandboxes.ts';
export type * from './ports/suppressions.ts';
export type * from './ports/webhooks.ts';
export type * from './ports/exports.ts';
export type * from './ports/test-runs.ts';
export type * from './ports/timers.ts';
export type * from './ports/translation-projects.ts';

export interface Store
  extends
    ObjectRepository,
    JourneyRepository,
    ProfileRepository,
    EventRepository,
    InstanceRepository,
    TimerRepository,
    OutboxRepository,
    BacklogRepository,
    BatchRepository,
    ReportRepository,
    AudienceRepository,
    TestRunRepository,
    TranslationProjectRepository,
    SandboxDataRepository,
    AuditRepository,
    PartitionRepository,
    RetentionRepository,
    AssistantRepository,
    OfferRepository,
    LandingPageRepository,
    SuppressionRepository,
    WebhookDeliveryRepository,
    ExportRepository,
    InAppRepository,
    ShortLinkRepository {
  close(): Promise<void>;
}
