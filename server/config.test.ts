import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults: port 8080, PGlite in ./data, demo seeded', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, dataDir: './data', databaseUrl: undefined, seedDemo: true });
  });

  it('reads the variables it knows and ignores the rest', () => {
    const config = loadConfig({
      PORT: '9000',
      DATA_DIR: '/srv/sb',
      DATABASE_URL: 'postgres://u:p@db:5432/sb',
      SEED_DEMO: '0',
      HOME: '/root',
    });
    expect(config).toMatchObject({
      port: 9000,
      dataDir: '/srv/sb',
      databaseUrl: 'postgres://u:p@db:5432/sb',
      seedDemo: false,
    });
  });

  it('stops with a sentence naming the variable and the value', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT must be between 0 and 65535 (got "70000").');
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a port number/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO must be 1 or 0/);
  });
});
