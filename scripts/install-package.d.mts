/** Installs a packed Waymark tarball into a folder, production dependencies only (scripts/install-package.mjs). */
export function installPackage(
  tarball: string,
  folder: string,
  opts?: { readonly env?: Readonly<Record<string, string>> },
): void;
