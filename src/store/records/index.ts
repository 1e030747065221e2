// Durable records: what the stores keep of timers, outbox items and instance states, each with a
// kind and a format version, encoded for the tables and decoded from them at the port.
export * from './decode-error.ts';
export * from './instance-record.ts';
export * from './outbox-record.ts';
export * from './timer-record.ts';
