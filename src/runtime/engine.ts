// Kept for src/bus/nats-ingest.ts (not this change's to edit): the engine lives in ./engine/. Repoint and delete.
export * from './engine/engine.ts';
