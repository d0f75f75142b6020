import type { Plugin } from 'vite';

/** Prints the phone screen's JavaScript in KB gzip after `vite build`. */
export declare function phoneBundleReport(): Plugin;
