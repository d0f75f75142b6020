import { gzipSync } from 'node:zlib';

/** @param {number} bytes */
function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A chunk and everything it imports statically (what the browser must load before it runs). */
/**
 * @param {Record<string, any>} bundle
 * @param {string[]} start
 * @returns {Set<string>}
 */
function closure(bundle, start, seen = new Set()) {
  for (const fileName of start) {
    const chunk = bundle[fileName];
    if (seen.has(fileName) || chunk?.type !== 'chunk') continue;
    seen.add(fileName);
    closure(bundle, chunk.imports, seen);
  }
  return seen;
}

/**
 * Prints, after `vite build`, the JavaScript the phone screen needs in KB gzip: the initial
 * load (entry and its static imports), plus the SIP phone chunks the screen loads right after it
 * mounts; and the admin console, which must stay split off.
 */
/** @returns {import('vite').Plugin} */
export function phoneBundleReport() {
  return {
    name: 'switchboard-phone-bundle-report',
    apply: 'build',
    generateBundle(_options, output) {
      const bundle = /** @type {Record<string, any>} */ (output);
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const gzip = (/** @type {Iterable<string>} */ files) => {
        let total = 0;
        for (const fileName of files) {
          const chunk = bundle[fileName];
          if (chunk?.type === 'chunk') total += gzipSync(chunk.code, { level: 9 }).length;
        }
        return total;
      };
      const entries = chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName);
      const initial = closure(bundle, entries);
      const dynamic = chunks
        .filter((chunk) => initial.has(chunk.fileName))
        .flatMap((chunk) => chunk.dynamicImports);
      const isPhone = (/** @type {string} */ fileName) => {
        const chunk = bundle[fileName];
        return (
          chunk?.type === 'chunk' &&
          chunk.moduleIds.some((/** @type {string} */ id) => id.includes('/src/phone/'))
        );
      };
      const isAdmin = (/** @type {string} */ fileName) => {
        const chunk = bundle[fileName];
        return (
          chunk?.type === 'chunk' &&
          chunk.moduleIds.some((/** @type {string} */ id) => id.includes('/src/admin/'))
        );
      };
      const phoneLazy = new Set(
        [...closure(bundle, dynamic.filter(isPhone))].filter((file) => !initial.has(file)),
      );
      const admin = new Set(
        [...closure(bundle, dynamic.filter(isAdmin))].filter((file) => !initial.has(file)),
      );
      const adminInInitial = [...initial].some(isAdmin);
      const initialBytes = gzip(initial);
      const phoneBytes = gzip(phoneLazy);
      this.info(
        [
          `Phone screen JS (gzip): initial ${kb(initialBytes)} + SIP phone loaded after mount ${kb(phoneBytes)}` +
            ` = ${kb(initialBytes + phoneBytes)}`,
          `Admin console (split off, loaded on demand): ${kb(gzip(admin))}` +
            (adminInInitial ? ' — WARNING: admin code is in the initial load' : ''),
        ].join('\n'),
      );
    },
  };
}
