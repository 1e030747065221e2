// Access control's services, wired from the store: one place that says what runs with what.
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type { JourneyService } from '../journeys.ts';
import { createApprovals } from './approvals.ts';
import { createAuditLog } from './audit-log.ts';
import type { Approvals, AuditLog, Directory, SandboxRegistry } from './contracts.ts';
import { createDirectory } from './directory.ts';
import { createSandboxRegistry } from './sandbox-registry.ts';

export interface AccessServices {
  readonly directory: Directory;
  readonly sandboxes: SandboxRegistry;
  readonly audit: AuditLog;
  readonly approvals: Approvals;
}

export function createAccessServices(deps: {
  store: Store;
  clock: Clock;
  journeys: JourneyService;
}): AccessServices {
  const directory = createDirectory(deps);
  const sandboxes = createSandboxRegistry(deps);
  const audit = createAuditLog(deps);
  const approvals = createApprovals({ ...deps, sandboxes, audit });
  return { directory, sandboxes, audit, approvals };
}
