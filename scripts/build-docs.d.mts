/** The folders of a documentation site: its sources, the built site, VitePress's cache and the build stamp (scripts/build-docs.mjs). */
export interface SitePaths {
  readonly docs: string;
  readonly dist: string;
  readonly cache: string;
  readonly stamp: string;
}
export function sitePaths(docs?: string): SitePaths;
/** A hash of what a build of the site reads: the files under docs/, VitePress's version, package-lock.json. */
export function siteInputsHash(paths?: SitePaths, repo?: string): string;
/** Whether the built site is the one build-docs.mjs made from sources that hash to `inputs`. */
export function isSiteFresh(paths?: SitePaths, inputs?: string): boolean;
/** Notes that the built site was made from sources that hash to `inputs`. */
export function writeSiteStamp(paths: SitePaths, inputs: string): void;
