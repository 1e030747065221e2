// Commands contributed by other modules (expressions, rendering, benchmarks, audiences, dead letters, status).
import type { Command } from 'commander';
import { registerAskCommand } from './commands/ask.ts';
import { registerAudienceCommands } from './commands/audiences.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerBenchCommand } from './commands/bench.ts';
import { registerCampaignCommands } from './commands/campaigns.ts';
import { registerLandingPageCommands } from './commands/landing-pages.ts';
import { registerDeadLetterCommands } from './commands/dead-letters.ts';
import { registerExprCommand } from './commands/expr.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerRenderCommand } from './commands/render.ts';
import { registerSecretsCommands } from './commands/secrets.ts';
import { registerProfilesImportCommand } from './commands/profiles-import.ts';
import { registerProfileCommands } from './commands/profiles.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerSuppressionCommands } from './commands/suppressions.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import { registerEventsExportCommand } from './commands/events-export.ts';
import { registerTranslateCommands } from './commands/translate.ts';

export async function registerExtraCommands(program: Command): Promise<void> {
  registerExprCommand(program);
  registerRenderCommand(program);
  registerBenchCommand(program);
  registerProfilesImportCommand(program);
  registerAudienceCommands(program);
  registerProfileCommands(program);
  registerDeadLetterCommands(program);
  registerSuppressionCommands(program);
  registerWebhookCommands(program);
  registerEventsExportCommand(program);
  registerStatusCommand(program);
  registerSecretsCommands(program);
  registerTranslateCommands(program);
  registerKeyCommands(program);
  registerUserCommands(program);
  registerAuditCommand(program);
  registerCampaignCommands(program);
  registerLandingPageCommands(program);
  registerBackupCommands(program);
  registerMigrateCommand(program);
  registerAskCommand(program);
}
