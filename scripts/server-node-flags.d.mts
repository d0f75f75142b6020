/** The Node flags the server's process runs with (see server-node-flags.mjs). */
export declare const serverNodeFlags: readonly string[];
