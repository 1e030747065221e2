/** Bundles the server and CLI into dist/ (scripts/build-dist.mjs). */
export function buildDist(): Promise<unknown>;
/** The packages left as imports of node_modules (native addons, packages that load their own files by path, heavy ones loaded on first use). */
export const external: readonly string[];
