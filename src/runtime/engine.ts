// Where the engine is imported from (src/bus, the CLI, tests): the façade lives in ./engine/.
export * from './engine/engine.ts';
