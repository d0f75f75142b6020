import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sipGrammarOnce } from './sip-grammar-once.mjs';

type Parse = (input: string, options: { startRule: string }) => unknown;

const grammarFile = path.join(
  path.dirname(createRequire(import.meta.url).resolve('sip.js/package.json')),
  'lib/grammar/pegjs/dist/grammar.js',
);
const folder = await mkdtemp(path.join(tmpdir(), 'sip-grammar-once-'));
const patchedFile = path.join(folder, 'grammar.js');

type Transform = (code: string, id: string) => { code: string } | null;

function transform(code: string, id: string): { code: string } | null {
  const plugin = sipGrammarOnce();
  const hook = plugin.transform as unknown as Transform;
  return hook.call(
    {
      error: (message: string) => {
        throw new Error(message);
      },
    } as never,
    code,
    id,
  );
}

const headers: [string, string][] = [
  ['"Bench Callee" <sip:1900@switchboard.test>;tag=a1b2', 'Name_Addr_Header'],
  ['SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK776asdhds;rport', 'Via'],
  ['<sip:agent1@192.0.2.7:5070;transport=ws>;expires=300', 'Contact'],
  ['314159 INVITE', 'CSeq'],
];

afterAll(() => rm(folder, { recursive: true, force: true }));

describe('sipGrammarOnce', () => {
  it("parses every header as sip.js's own grammar does, decoding its table once", async () => {
    const original = await readFile(grammarFile, 'utf8');
    const patched = transform(original, grammarFile);
    expect(patched?.code).toContain('peg$decodedBytecode ??= [');
    // Its imports point at sip.js's own modules.
    const home = pathToFileURL(path.dirname(grammarFile)).href;
    await writeFile(patchedFile, (patched?.code ?? '').replaceAll('from "../../', `from "${home}/../../`));
    const own = (await import(pathToFileURL(grammarFile).href)) as { parse: Parse };
    const once = (await import(pathToFileURL(patchedFile).href)) as { parse: Parse };
    for (const [input, startRule] of headers) {
      expect(JSON.stringify(once.parse(input, { startRule }))).toBe(
        JSON.stringify(own.parse(input, { startRule })),
      );
      // Twice: the second parse runs on the kept table.
      expect(JSON.stringify(once.parse(input, { startRule }))).toBe(
        JSON.stringify(own.parse(input, { startRule })),
      );
    }
    expect(() => once.parse('not a via', { startRule: 'Via' })).toThrow();
  });

  it('leaves other modules alone and stops the build when the grammar changed shape', () => {
    expect(transform('const peg$bytecode = [];', '/x/node_modules/other/grammar.js')).toBeNull();
    expect(() => transform('export const parse = () => 1;', grammarFile)).toThrow(/no longer|any more/);
  });
});
