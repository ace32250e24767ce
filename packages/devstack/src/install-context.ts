import type { Progress } from './run-step.js';

/** What an installer needs: where to put things and how to tell the user what it is doing. */
export interface InstallContext {
  /** The cache root (`~/.cache/mekong`); each installer owns a sub-folder of it. */
  cacheRoot: string;
  progress: Progress;
}
