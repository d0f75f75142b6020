import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Modules the carrier loads; all ship in baresip-core. */
export const MODULES = ['g711', 'ausine', 'sndfile', 'account', 'menu', 'ctrl_tcp'] as const;

/** baresip's modules folder, found next to its binary (its own default) or under a lib folder. */
function modulesFolder(binary: string): string | null {
  const prefix = path.dirname(path.dirname(realpathSync(binary)));
  const candidates = [path.join(prefix, 'lib', 'baresip', 'modules')];
  const lib = path.join(prefix, 'lib');
  try {
    for (const entry of execFileSync('ls', [lib], { encoding: 'utf8' }).split('\n'))
      if (entry.includes('-linux-')) candidates.push(path.join(lib, entry, 'baresip', 'modules'));
  } catch {
    // no lib folder: only the first candidate
  }
  return (
    candidates.find((folder) => MODULES.every((name) => existsSync(path.join(folder, `${name}.so`)))) ?? null
  );
}

function baresipBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v baresip'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Why a baresip carrier cannot run here, as one sentence, or null when it can. */
export function baresipUnavailable(): string | null {
  const binary = baresipBinary();
  if (!binary) return 'The carrier tests need baresip (apt-get install baresip-core).';
  if (!modulesFolder(binary))
    return `The carrier tests need baresip's modules ${MODULES.join(', ')} (apt-get install baresip-core).`;
  return null;
}

/** baresip's binary and its modules folder; throws the sentence of `baresipUnavailable` without them. */
export function findBaresip(): { binary: string; modules: string } {
  const binary = baresipBinary();
  const modules = binary ? modulesFolder(binary) : null;
  if (!binary || !modules) throw new Error(baresipUnavailable() ?? 'baresip is missing.');
  return { binary, modules };
}
