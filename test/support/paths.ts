import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** Read-only reference data and images beside the repository; never copied into it. */
export const SHARED_DIR = join(REPO_ROOT, '..', 'shared');
export const SHARED_IMAGES = join(SHARED_DIR, 'images');
export const TINY_CLIP_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'tiny-clip');
