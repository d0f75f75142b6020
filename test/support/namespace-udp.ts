import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// UDP across a network namespace's border, for trunk tests whose server runs inside a loopback-only
// namespace (loopback-namespace.ts) while parts of the test stay outside: a raw carrier the server
// must reach, rtpengine's ng port the test queries, a stranger's INVITE from another address.
// Two small Node processes, one on each side, joined by a Unix socket (a file, so it crosses
// namespaces), carry each datagram with the address it came from:
// - the "bound" end listens on one UDP address; what arrives from S goes across tagged S, and what
//   comes back tagged S is sent from that address to S;
// - the "sending" end keeps one UDP socket per S (so the target sees one source per sender), sends
//   what comes across to the target, and carries the target's answers back tagged S.

/** Runs on both sides: `node -e SCRIPT <serve|dial> <socket> <bound|sending> …`. */
const TUNNEL_SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
const [how, socketPath, end, a, b, c] = process.argv.slice(1);
let stream = null;
let pending = Buffer.alloc(0);
const frame = (key, data) => {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + key.length + data.length, 0);
  head.writeUInt8(key.length, 4);
  stream?.write(Buffer.concat([head, Buffer.from(key), data]));
};
let onFrame = () => undefined;
const attach = (socket) => {
  stream = socket;
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (pending.length < 4 + length) return;
      const keyLength = pending.readUInt8(4);
      const key = pending.subarray(5, 5 + keyLength).toString();
      const data = pending.subarray(5 + keyLength, 4 + length);
      pending = pending.subarray(4 + length);
      onFrame(key, Buffer.from(data));
    }
  });
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
};
const ready = (port) => process.stdout.write('ready ' + port + '\\n');
const start = (port) => {
  if (how === 'serve') net.createServer((socket) => attach(socket)).listen(socketPath, () => ready(port));
  else {
    const socket = net.connect(socketPath, () => ready(port));
    attach(socket);
  }
};
if (end === 'bound') {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (data, from) => frame(from.address + ':' + from.port, data));
  onFrame = (key, data) => {
    const colon = key.lastIndexOf(':');
    socket.send(data, Number(key.slice(colon + 1)), key.slice(0, colon));
  };
  socket.bind(Number(b), a, () => start(socket.address().port));
} else {
  const senders = new Map();
  onFrame = (key, data) => {
    let sender = senders.get(key);
    if (!sender) {
      sender = dgram.createSocket('udp4');
      sender.on('message', (answer) => frame(key, answer));
      sender.bind(0, a);
      senders.set(key, sender);
    }
    sender.send(data, Number(c), b);
  };
  start(0);
}
`;

/** One end's command prefix: empty for this namespace, `ns.exec` for the other one. */
type Prefix = readonly string[];

export type UdpTunnel = {
  /** The UDP port the bound end listens on (on its side of the border). */
  port: number;
  close(): Promise<void>;
};

function launch(prefix: Prefix, args: string[]): { child: ChildProcess; port: Promise<number> } {
  const [command, ...rest] = [...prefix, process.execPath, '-e', TUNNEL_SCRIPT, ...args];
  const child = spawn(command ?? process.execPath, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /ready (\d+)/.exec(output);
      if (found) resolve(Number(found[1]));
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => reject(new Error(`A UDP tunnel end stopped before it was ready: ${output}`)));
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function tunnel(
  bound: { prefix: Prefix; address: string; port: number },
  sending: { prefix: Prefix; from: string; to: string; port: number },
): Promise<UdpTunnel> {
  const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-udp-tunnel-'));
  const socketPath = path.join(folder, 'tunnel.sock');
  const server = launch(bound.prefix, ['serve', socketPath, 'bound', bound.address, String(bound.port)]);
  let client: ReturnType<typeof launch> | null = null;
  try {
    const port = await server.port;
    client = launch(sending.prefix, [
      'dial',
      socketPath,
      'sending',
      sending.from,
      sending.to,
      String(sending.port),
    ]);
    await client.port;
    const ends = [server.child, client.child];
    return {
      port,
      async close() {
        await Promise.all(ends.map(stop));
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop(server.child);
    if (client) await stop(client.child);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A UDP port on 127.0.0.1 here whose datagrams reach 127.0.0.1:`port` inside the namespace, sent
 * from `from` there (default 127.0.0.1; e.g. 127.0.0.2 to play a stranger); answers come back.
 */
export function udpIntoNamespace(
  namespace: { exec: readonly string[] },
  port: number,
  from = '127.0.0.1',
): Promise<UdpTunnel> {
  return tunnel(
    { prefix: [], address: '127.0.0.1', port: 0 },
    { prefix: namespace.exec, from, to: '127.0.0.1', port },
  );
}

/**
 * A UDP port on 127.0.0.1 inside the namespace (`port`, or a free one) whose datagrams reach
 * 127.0.0.1:`target` here; answers go back to their sender inside.
 */
export function udpOutOfNamespace(
  namespace: { exec: readonly string[] },
  target: number,
  port = 0,
): Promise<UdpTunnel> {
  return tunnel(
    { prefix: namespace.exec, address: '127.0.0.1', port },
    { prefix: [], from: '127.0.0.1', to: '127.0.0.1', port: target },
  );
}
