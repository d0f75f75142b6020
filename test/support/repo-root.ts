import { fileURLToPath } from 'node:url';

/** The repository's root folder, where `server/`, `dist/` and `node_modules/` are. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
