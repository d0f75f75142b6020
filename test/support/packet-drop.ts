import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Lost SIP datagrams on demand, inside a network namespace the test made: nftables drops the first
// UDP datagram that matches (ports and the text it starts with, e.g. `INVITE ` or `SIP/2.0 200 `)
// and lets every later one through, counting them. Dropped on the input hook, so the sender's
// send() succeeds as it would on a lossy network (a drop on output fails the send with EPERM).

const TABLE = 'switchboard_loss';

/** What to drop once: UDP from `sourcePort` (any when omitted) to `destinationPort`, starting with `startsWith`. */
export type DropRule = { destinationPort: number; sourcePort?: number; startsWith: string };

export type ArmedDrop = {
  /** Datagrams dropped so far (0 or 1). */
  dropped(): Promise<number>;
  /** Matching datagrams let through after the drop (retransmissions). */
  passed(): Promise<number>;
};

export type PacketDropper = {
  /** Drops the next datagram matching `rule`, once. */
  dropFirst(rule: DropRule): Promise<ArmedDrop>;
  /** Removes every rule armed so far. */
  clear(): Promise<void>;
  /** Removes the table. */
  close(): Promise<void>;
};

function hex(text: string): string {
  return `0x${Buffer.from(text, 'latin1').toString('hex')}`;
}

/** Why packets cannot be dropped here, or null when they can (nftables, root). */
export async function packetDropUnavailable(): Promise<string | null> {
  try {
    await run('sh', ['-c', 'command -v nft']);
    return null;
  } catch {
    return 'The lost-packet cases need nftables (apt-get install nftables).';
  }
}

export async function createPacketDropper(namespace: { exec: readonly string[] }): Promise<PacketDropper> {
  const nft = async (script: string): Promise<string> => {
    const [command, ...args] = [...namespace.exec, 'nft', '-f', '-'];
    return new Promise((resolve, reject) => {
      const child = execFile(command ?? 'nft', args, (error, stdout, stderr) =>
        error ? reject(new Error(`nft refused:\n${script}\n${stderr}`)) : resolve(stdout),
      );
      child.stdin?.end(script);
    });
  };
  const list = async (what: string): Promise<string> => {
    const [command, ...args] = [...namespace.exec, 'nft', 'list', ...what.split(' ')];
    return (await run(command ?? 'nft', args)).stdout;
  };
  await nft(`table inet ${TABLE} {\n  chain input { type filter hook input priority 0; }\n}\n`);
  let armed = 0;
  const sets: string[] = [];

  return {
    async dropFirst(rule) {
      armed += 1;
      const set = `once${armed}`;
      const bits = Buffer.byteLength(rule.startsWith, 'latin1') * 8;
      if (bits > 128) throw new Error('nftables matches at most 16 bytes of payload at once.');
      const match = [
        ...(rule.sourcePort === undefined ? [] : [`udp sport ${rule.sourcePort}`]),
        `udp dport ${rule.destinationPort}`,
        `@ih,0,${bits} ${hex(rule.startsWith)}`,
      ].join(' ');
      const passedComment = `passed-${set}`;
      const droppedComment = `dropped-${set}`;
      await nft(
        [
          `add set inet ${TABLE} ${set} { type inet_service; flags dynamic; }`,
          `add rule inet ${TABLE} input ${match} udp dport @${set} counter accept comment "${passedComment}"`,
          `add rule inet ${TABLE} input ${match} add @${set} { udp dport } counter drop comment "${droppedComment}"`,
          '',
        ].join('\n'),
      );
      sets.push(set);
      const count = async (comment: string): Promise<number> => {
        const chain = await list(`chain inet ${TABLE} input`);
        const line = chain.split('\n').find((text) => text.includes(`"${comment}"`)) ?? '';
        return Number(/counter packets (\d+)/.exec(line)?.[1] ?? 0);
      };
      return { dropped: () => count(droppedComment), passed: () => count(passedComment) };
    },
    async clear() {
      await nft(
        [`flush chain inet ${TABLE} input`, ...sets.map((set) => `delete set inet ${TABLE} ${set}`), ''].join(
          '\n',
        ),
      );
      sets.length = 0;
    },
    async close() {
      await nft(`delete table inet ${TABLE}\n`).catch(() => undefined);
    },
  };
}
