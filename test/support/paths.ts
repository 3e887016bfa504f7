import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/**
 * Read-only reference data and images beside the repository (`../shared`); never copied into it.
 * CLIPGUARD_SHARED_DIR names it when a checkout does not sit beside it (a CI clone elsewhere).
 */
export const SHARED_DIR = process.env.CLIPGUARD_SHARED_DIR ?? join(REPO_ROOT, '..', 'shared');
export const SHARED_IMAGES = join(SHARED_DIR, 'images');
export const TINY_CLIP_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'tiny-clip');
