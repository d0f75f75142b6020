import { serverNodeFlags } from '../../scripts/server-node-flags.mjs';

/**
 * The Node flags a bench runs the server's code with: the server's own (what `npm start` gives
 * it), or those the named environment variable lists instead, separated by spaces ('' for none).
 */
export function benchNodeFlags(variable: string): readonly string[] {
  return process.env[variable]?.split(' ').filter(Boolean) ?? serverNodeFlags;
}
