/** Bundles the server and CLI into dist/ (scripts/build-dist.mjs). */
export function buildDist(): Promise<unknown>;
