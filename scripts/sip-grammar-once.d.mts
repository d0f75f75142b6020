import type { Plugin } from 'vite';

/** Decodes sip.js's grammar table once instead of on every header it parses. */
export declare function sipGrammarOnce(): Plugin;
