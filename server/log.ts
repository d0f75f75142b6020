import type { Config } from './config';

export type Logger = {
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
};

const order = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** A plain line logger. It never receives request bodies, so no password can reach it. */
export function createLogger(
  level: Config['logLevel'],
  write = (line: string) => process.stderr.write(line + '\n'),
): Logger {
  const on = (at: (typeof order)[number]) => order.indexOf(level) >= order.indexOf(at);
  const line = (tag: string, message: string, detail?: unknown) => {
    const suffix =
      detail instanceof Error ? `: ${detail.stack ?? detail.message}` : detail ? `: ${String(detail)}` : '';
    write(`${new Date().toISOString()} ${tag} ${message}${suffix}`);
  };
  return {
    error: (m, d) => on('error') && line('ERROR', m, d),
    warn: (m, d) => on('warn') && line('WARN ', m, d),
    info: (m) => on('info') && line('INFO ', m),
    debug: (m) => on('debug') && line('DEBUG', m),
  };
}
