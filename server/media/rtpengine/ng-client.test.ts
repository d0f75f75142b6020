import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../log';
import { MediaBridgeError } from '../media-bridge';
import { NgClient } from './ng-client';
import { findOnPath } from './rtpengine-config';
import { RtpengineSupervisor } from './rtpengine-supervisor';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: the ng client tests need rtpengine (Debian's rtpengine-daemon).");

function udpSocket(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

/** A UDP forwarder on loopback that drops the first `drop` datagrams toward rtpengine. */
async function lossyPath(
  toPort: number,
  drop: number,
): Promise<{ port: number; seen: () => number; close(): void }> {
  const front = await udpSocket();
  const back = await udpSocket();
  let client: { address: string; port: number } | null = null;
  let seen = 0;
  front.on('message', (message, from) => {
    client = from;
    seen += 1;
    if (seen > drop) back.send(message, toPort, '127.0.0.1');
  });
  back.on('message', (message) => client && front.send(message, client.port, client.address));
  return {
    port: front.address().port,
    seen: () => seen,
    close() {
      front.close();
      back.close();
    },
  };
}

describe.skipIf(!installed)('ng client against a real rtpengine', () => {
  let supervisor: RtpengineSupervisor;
  let ngPort: number;

  beforeAll(async () => {
    const base = 50_000 + Math.floor(Math.random() * 900) * 10;
    supervisor = new RtpengineSupervisor({
      interface: { local: '127.0.0.1', advertised: null },
      ports: { min: base, max: base + 9 },
      log: createLogger('silent'),
      command: installed ?? undefined,
    });
    await supervisor.start();
    expect(await supervisor.whenRunning(10_000)).toBe(true);
    ngPort = Number(/:(\d+)$/.exec(supervisor.ng.address)?.[1]);
  });
  afterAll(() => supervisor?.close());

  it('pings, and a refused request is a sentence with rtpengine’s reason', async () => {
    const ng = new NgClient({ host: '127.0.0.1', port: ngPort });
    try {
      expect(await ng.request({ command: 'ping' })).toEqual({ result: 'pong' });
      const refused = await ng.request({ command: 'no-such-command' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(MediaBridgeError);
      expect(String((refused as Error).message)).toBe(
        "The media bridge (rtpengine) refused 'no-such-command': Unrecognized command.",
      );
      // Deleting a call rtpengine does not hold is answered ok, with a warning.
      expect(await ng.request({ command: 'delete', 'call-id': 'never-was' })).toMatchObject({ result: 'ok' });
      // Many at once: each answer finds its request by cookie.
      const answers = await Promise.all(Array.from({ length: 50 }, () => ng.request({ command: 'ping' })));
      expect(answers.every((answer) => answer.result === 'pong')).toBe(true);
    } finally {
      ng.close();
    }
  });

  it('sends a lost request again with the same cookie, and answers once', async () => {
    const path = await lossyPath(ngPort, 2);
    const ng = new NgClient({ host: '127.0.0.1', port: path.port, resendAfterMs: [100, 200, 300] });
    try {
      const started = Date.now();
      expect(await ng.request({ command: 'ping' }, 2_000)).toEqual({ result: 'pong' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
      expect(path.seen()).toBeGreaterThanOrEqual(3);
    } finally {
      ng.close();
      path.close();
    }
  });

  it('gives up after its timeout with a sentence naming where and what', async () => {
    const silent = await udpSocket();
    const port = silent.address().port;
    const ng = new NgClient({ host: '127.0.0.1', port, resendAfterMs: [100] });
    let received = 0;
    silent.on('message', () => (received += 1));
    try {
      const started = Date.now();
      const failure = await ng.request({ command: 'offer' }, 400).catch((error: unknown) => error);
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(failure).toBeInstanceOf(MediaBridgeError);
      expect((failure as Error).message).toBe(
        `The media bridge (rtpengine at 127.0.0.1:${port}) did not answer 'offer' within 400 ms.`,
      );
      expect(received).toBe(2);
      ng.close();
      await expect(ng.request({ command: 'ping' })).rejects.toThrow('The media bridge is shut down.');
    } finally {
      silent.close();
    }
  });

  it('refuses an answer that is not bencode', async () => {
    const liar = await udpSocket();
    liar.on('message', (message, from) => {
      const cookie = message.toString('ascii', 0, message.indexOf(0x20));
      liar.send(`${cookie} d6:result`, from.port, from.address);
    });
    const ng = new NgClient({ host: '127.0.0.1', port: liar.address().port });
    try {
      await expect(ng.request({ command: 'ping' })).rejects.toThrow(
        /answered 'ping' with bytes that are not bencode/,
      );
    } finally {
      ng.close();
      liar.close();
    }
  });
});
