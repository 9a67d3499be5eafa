// Paths the tests share: the project root, its fixtures, and ../shared when it is present.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const DOCS = join(FIXTURES, 'docs');
export const SHARED = join(ROOT, '..', 'shared');
export const SEED = join(SHARED, 'seed', 'article.txt');
export const hasSeed = existsSync(SEED);
export const SEED_SKIP = hasSeed ? false : `../shared/seed/article.txt is absent (${SEED}); the seed checks need it`;
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
