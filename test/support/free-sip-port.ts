import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both), not handed out before. */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    udp.close();
    if (tcpFree && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('Could not find a port free for both UDP and TCP on 127.0.0.1.');
}

/** Gives a port from `freeSipPort` back once nothing listens on it any more. */
export function releaseSipPort(port: number): void {
  handedOut.delete(port);
}
