import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { ConfigError, defaultSocketWorkers, loadConfig } from './config';

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

  it('drops a silent SIP WebSocket within 30 s by default (SIP_KEEPALIVE_SECONDS)', () => {
    expect(loadConfig({}).sipKeepAliveMs).toBeLessThanOrEqual(30_000);
    expect(loadConfig({ SIP_KEEPALIVE_SECONDS: '5' }).sipKeepAliveMs).toBe(5000);
    expect(() => loadConfig({ SIP_KEEPALIVE_SECONDS: '0' })).toThrow(
      'SIP_KEEPALIVE_SECONDS must be at least 1 second (got "0").',
    );
  });

  it('gives the SIP WebSockets one socket worker on two cores or more, none on one, unless SIP_WEBSOCKET_WORKERS says', () => {
    expect(defaultSocketWorkers(1)).toBe(0);
    expect(defaultSocketWorkers(2)).toBe(1);
    expect(defaultSocketWorkers(16)).toBe(1);
    expect(loadConfig({}).sipWebSocketWorkers).toBe(defaultSocketWorkers(availableParallelism()));
    expect(loadConfig({ SIP_WEBSOCKET_WORKERS: '0' }).sipWebSocketWorkers).toBe(0);
    expect(loadConfig({ SIP_WEBSOCKET_WORKERS: '3' }).sipWebSocketWorkers).toBe(3);
    expect(() => loadConfig({ SIP_WEBSOCKET_WORKERS: '17' })).toThrow(
      'SIP_WEBSOCKET_WORKERS must be between 0 and 16 (got "17").',
    );
    expect(() => loadConfig({ SIP_WEBSOCKET_WORKERS: 'many' })).toThrow(
      'SIP_WEBSOCKET_WORKERS must be a number of processes (0: none) (got "many").',
    );
  });

  it('hands the phones the SIP edges of SIP_WS_URLS in order, none (the built-in edge) when unset', () => {
    expect(loadConfig({}).sipWsUrls).toEqual([]);
    expect(
      loadConfig({ SIP_WS_URLS: ' wss://edge-a.example.com/ws, ws://10.0.0.2:5066 ,/sip,' }).sipWsUrls,
    ).toEqual(['wss://edge-a.example.com/ws', 'ws://10.0.0.2:5066', '/sip']);
    expect(() => loadConfig({ SIP_WS_URLS: 'https://edge.example.com/ws' })).toThrow(
      'SIP_WS_URLS must be a comma-separated list of ws:// or wss:// URLs (or paths on this server such as /sip) (got "https://edge.example.com/ws").',
    );
  });

  it('serves SIP over UDP and TCP on 5060 unless told otherwise; 0 turns one off', () => {
    expect(loadConfig({})).toMatchObject({ sipUdpPort: 5060, sipTcpPort: 5060, sipAdvertisedHost: null });
    const set = loadConfig({ SIP_UDP_PORT: '0', SIP_TCP_PORT: '5070', SIP_ADVERTISED_HOST: '[2001:db8::7]' });
    expect(set).toMatchObject({ sipUdpPort: null, sipTcpPort: 5070, sipAdvertisedHost: '2001:db8::7' });
    expect(() => loadConfig({ SIP_UDP_PORT: '99999' })).toThrow(
      'SIP_UDP_PORT must be between 0 and 65535 (got "99999").',
    );
    expect(() => loadConfig({ SIP_ADVERTISED_HOST: 'a b' })).toThrow(
      /SIP_ADVERTISED_HOST must be a host name/,
    );
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
