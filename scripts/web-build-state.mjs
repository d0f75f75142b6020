import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time of any file under the given paths (folders walked). */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** The web app needs a build when dist/ is missing or older than what it is built from. */
export function webBuildIsStale(root) {
  const built = path.join(root, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'contracts', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];
  return newestMtime(sources.map((s) => path.join(root, s))) > statSync(built).mtimeMs;
}
