// Test runs (test mode): the trace of each run, kept after test mode is left.

/**
 * One line of a test run's trace (test mode): appended with the step's commit and kept after test
 * mode is left, so that the console can show each run again. `runId` is the instance id.
 */
export interface TestTraceRow {
  readonly sandbox: string;
  readonly runId: string;
  readonly journeyId: string;
  readonly version: number;
  readonly profileId: string;
  readonly at: number;
  readonly entry: unknown;
}

export interface TestRunRepository {
  /** The trace lines of a journey version's test runs, in the order they were written. */
  testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]>;
  /** The trace lines of one test run, in the order they were written. */
  testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]>;
}
