// Test runs' traces on the embedded store (table test_trace).
import type Database from 'better-sqlite3';
import type { TestRunRepository, TestTraceRow } from '../ports.ts';

export class SqliteTestRuns implements TestRunRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
  }

  async testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]> {
    return (this.stmts.testTrace.all(sandbox, journeyId, version) as TestTraceDbRow[]).map(
      toTestTrace,
    );
  }
  async testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]> {
    return (this.stmts.testRunTrace.all(sandbox, runId) as TestTraceDbRow[]).map(toTestTrace);
  }
}

function prepare(db: Database.Database) {
  return {
    testTrace: db.prepare(
      'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = ? AND journey_id = ? AND version = ? ORDER BY seq',
    ),
    testRunTrace: db.prepare(
      'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = ? AND run_id = ? ORDER BY seq',
    ),
  };
}

interface TestTraceDbRow {
  sandbox: string;
  run_id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  at: number;
  entry: string;
}
const toTestTrace = (r: TestTraceDbRow): TestTraceRow => ({
  sandbox: r.sandbox,
  runId: r.run_id,
  journeyId: r.journey_id,
  version: r.version,
  profileId: r.profile_id,
  at: r.at,
  entry: JSON.parse(r.entry) as unknown,
});
