// Test runs' traces on PostgreSQL (table test_trace).
import type { TestRunRepository, TestTraceRow } from '../ports.ts';
import type { PostgresContext } from './context.ts';

export class PostgresTestRuns implements TestRunRepository {
  constructor(private readonly db: PostgresContext) {}

  async testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]> {
    return (
      await this.db.rows<TestTraceDbRow>(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = $1 AND journey_id = $2 AND version = $3 ORDER BY seq',
        [sandbox, journeyId, version],
      )
    ).map(toTestTrace);
  }
  async testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]> {
    return (
      await this.db.rows<TestTraceDbRow>(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = $1 AND run_id = $2 ORDER BY seq',
        [sandbox, runId],
      )
    ).map(toTestTrace);
  }
}

interface TestTraceDbRow {
  sandbox: string;
  run_id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  at: number;
  entry: unknown;
}
const toTestTrace = (r: TestTraceDbRow): TestTraceRow => ({
  sandbox: r.sandbox,
  runId: r.run_id,
  journeyId: r.journey_id,
  version: r.version,
  profileId: r.profile_id,
  at: r.at,
  entry: r.entry,
});
