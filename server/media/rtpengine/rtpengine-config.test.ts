import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { findOnPath, NO_RTPENGINE } from './rtpengine-config';

// A folder holding an executable named rtpengine, to stand for "installed" whatever this machine has.
const bin = mkdtempSync(path.join(tmpdir(), 'switchboard-path-'));
writeFileSync(path.join(bin, 'rtpengine'), '#!/bin/sh\n');
chmodSync(path.join(bin, 'rtpengine'), 0o755);
const empty = mkdtempSync(path.join(tmpdir(), 'switchboard-path-'));
afterAll(() => {
  rmSync(bin, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe('RTPENGINE configuration', () => {
  it('spawns rtpengine by default when it is on PATH, and is off with a sentence when it is not', () => {
    expect(loadConfig({ PATH: `${empty}:${bin}` }).rtpengine).toEqual({
      mode: { kind: 'spawn', command: path.join(bin, 'rtpengine') },
      interface: null,
      ports: { min: 30_000, max: 39_999 },
    });
    expect(loadConfig({ PATH: empty }).rtpengine.mode).toEqual({ kind: 'off', problem: NO_RTPENGINE });
    expect(loadConfig({}).rtpengine.mode).toEqual({ kind: 'off', problem: NO_RTPENGINE });
    expect(NO_RTPENGINE).toBe(
      "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port",
    );
  });

  it('takes off, an existing rtpengine at host:port, an interface and a port range', () => {
    expect(loadConfig({ PATH: bin, RTPENGINE: 'off' }).rtpengine.mode).toMatchObject({
      kind: 'off',
      problem: expect.stringMatching(/RTPENGINE=off/) as unknown,
    });
    expect(loadConfig({ RTPENGINE: 'media.example.com:2223' }).rtpengine.mode).toEqual({
      kind: 'external',
      host: 'media.example.com',
      port: 2223,
    });
    expect(loadConfig({ RTPENGINE: '[::1]:2223' }).rtpengine.mode).toEqual({
      kind: 'external',
      host: '::1',
      port: 2223,
    });
    const set = loadConfig({
      RTPENGINE: '127.0.0.1:2223',
      RTPENGINE_INTERFACE: '10.0.0.5!203.0.113.7',
      RTPENGINE_PORTS: '40000-40099',
    }).rtpengine;
    expect(set.interface).toEqual({ local: '10.0.0.5', advertised: '203.0.113.7' });
    expect(set.ports).toEqual({ min: 40_000, max: 40_099 });
    expect(loadConfig({ RTPENGINE_INTERFACE: '::1' }).rtpengine.interface).toEqual({
      local: '::1',
      advertised: null,
    });
  });

  it('stops the server with a sentence naming the variable', () => {
    const cases: [Record<string, string>, string | RegExp][] = [
      [{ RTPENGINE: 'yes' }, /RTPENGINE must be spawn, off, or the host:port .* \(got "yes"\)\./],
      [{ RTPENGINE: 'host:99999' }, /RTPENGINE must be spawn, off, or the host:port/],
      [{ RTPENGINE: 'spawn', PATH: empty }, /RTPENGINE=spawn needs the rtpengine program on PATH/],
      [{ RTPENGINE_INTERFACE: 'eth0' }, /RTPENGINE_INTERFACE must be an IP address .* \(got "eth0"\)\./],
      [{ RTPENGINE_INTERFACE: '10.0.0.5!nat.example' }, /RTPENGINE_INTERFACE must be/],
      [{ RTPENGINE_PORTS: '30000' }, /RTPENGINE_PORTS must be a range such as 30000-39999/],
      [{ RTPENGINE_PORTS: '40000-30000' }, /RTPENGINE_PORTS must be a range of at least 4 ports/],
      [{ RTPENGINE_PORTS: '80-90' }, /RTPENGINE_PORTS must be a range of at least 4 ports/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it('finds programs only where PATH says and only when executable', () => {
    writeFileSync(path.join(empty, 'not-executable'), '');
    expect(findOnPath('not-executable', empty)).toBeNull();
    expect(findOnPath('rtpengine', `${empty}::${bin}`)).toBe(path.join(bin, 'rtpengine'));
    expect(findOnPath('rtpengine', undefined)).toBeNull();
  });
});
