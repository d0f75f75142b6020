import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Three agents, each behind its own NAT, and a server on the "internet" between them, made of network
// namespaces (iproute2, nftables). Nothing routes past the lab: the NATs know only the lab's
// internet, so the agents cannot reach each other's private addresses, and the machine's own
// network is never used.
//
//   root namespace: <rootLink> SERVER_IP/24 ─┐
//   <id>-wan: bridge br0 ────────────────────┼──────────────────────┐
//   <id>-nat-a: wan0 .11/24, lan0 192.168.231.1 ─ masquerade       <id>-nat-b: wan0 .12/24, lan0 192.168.232.1
//   <id>-a: eth0 192.168.231.2, default via .1                      <id>-b: eth0 192.168.232.2, default via .1
//   (and <id>-nat-c: wan0 .13, lan0 192.168.233.1; <id>-c: eth0 192.168.233.2)
//
// `changeAddress` moves an agent to a new link and subnet behind the same NAT (lan1/eth1,
// 192.168.24x.0/24), as a laptop moving from Wi-Fi to a cable: the old link and address are gone.

export const SERVER_IP = '10.231.0.1';

export type Side = 'a' | 'b' | 'c';

export type NatLab = {
  /** The namespace each agent's browser runs in. */
  agents: Record<Side, string>;
  /** An executable that runs Chromium in the agent's namespace (for playwright-core's executablePath). */
  chromiumIn(agent: Side): string;
  /**
   * The agent's namespace gets a new link with a new address behind its NAT, the default route
   * goes over it, and the old link (with its address) is deleted. Resolves to the new address.
   */
  changeAddress(agent: Side): Promise<string>;
  /** Deletes every namespace and link the lab made, and its wrapper scripts. */
  close(): Promise<void>;
};

/** Why the lab cannot be built here, as one sentence, or null when it can. */
export function natLabUnavailable(): string | null {
  if (process.platform !== 'linux') return 'The NAT lab needs Linux network namespaces.';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return 'The NAT lab needs root (network namespaces); run the tests as root to include it.';
  for (const tool of ['ip', 'nft', 'turnserver']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `The NAT lab needs ${tool} (apt-get install iproute2 nftables coturn).`;
    }
  }
  return null;
}

async function sh(script: string): Promise<void> {
  await run('sh', ['-ec', script]);
}

export async function createNatLab(chromium: string): Promise<NatLab> {
  const id = `sb${process.pid % 100_000}`;
  const wan = `${id}-wan`;
  const sides = ['a', 'b', 'c'] as const;
  const nat = { a: `${id}-nat-a`, b: `${id}-nat-b`, c: `${id}-nat-c` };
  const agents = { a: `${id}-a`, b: `${id}-b`, c: `${id}-c` };
  const rootLink = `${id}r`;
  const namespaces = [wan, ...sides.map((side) => nat[side]), ...sides.map((side) => agents[side])];
  const moves = { a: 0, b: 0, c: 0 };
  const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-nat-lab-'));

  async function removeNamespaces(): Promise<void> {
    // Deleting a namespace deletes its links and their peers (the root one included).
    for (const ns of namespaces) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await run('ip', ['link', 'del', rootLink]).catch(() => undefined);
  }
  async function close(): Promise<void> {
    await removeNamespaces();
    await rm(folder, { recursive: true, force: true });
  }

  // A run of this process id that was killed may have left its lab behind.
  await removeNamespaces();
  try {
    const exec = (ns: string) => `ip netns exec ${ns}`;
    const lines = [
      ...namespaces.map((ns) => `ip netns add ${ns}`),
      ...namespaces.map((ns) => `${exec(ns)} ip link set lo up`),
      `${exec(wan)} ip link add br0 type bridge`,
      `${exec(wan)} ip link set br0 up`,
      // The server's side: a link from the root namespace onto the lab's internet.
      `ip link add ${rootLink} type veth peer name root netns ${wan}`,
      `ip addr add ${SERVER_IP}/24 dev ${rootLink}`,
      `ip link set ${rootLink} up`,
      `${exec(wan)} ip link set root master br0 up`,
    ];
    const plan = [
      { side: 'a' as const, wanIp: '10.231.0.11', lan: '192.168.231' },
      { side: 'b' as const, wanIp: '10.231.0.12', lan: '192.168.232' },
      { side: 'c' as const, wanIp: '10.231.0.13', lan: '192.168.233' },
    ];
    for (const { side, wanIp, lan } of plan) {
      const natNs = nat[side];
      const agentNs = agents[side];
      lines.push(
        `ip link add ${id}w${side} netns ${wan} type veth peer name wan0 netns ${natNs}`,
        `${exec(wan)} ip link set ${id}w${side} master br0 up`,
        `${exec(natNs)} ip addr add ${wanIp}/24 dev wan0`,
        `${exec(natNs)} ip link set wan0 up`,
        `ip link add ${id}l${side} netns ${natNs} type veth peer name eth0 netns ${agentNs}`,
        `${exec(natNs)} ip link set ${id}l${side} name lan0`,
        `${exec(natNs)} ip addr add ${lan}.1/24 dev lan0`,
        `${exec(natNs)} ip link set lan0 up`,
        `${exec(natNs)} sysctl -qw net.ipv4.ip_forward=1`,
        `${exec(agentNs)} ip addr add ${lan}.2/24 dev eth0`,
        `${exec(agentNs)} ip link set eth0 up`,
        `${exec(agentNs)} ip route add default via ${lan}.1`,
      );
    }
    await sh(lines.join('\n'));
    for (const side of sides) {
      // The NAT: what leaves for the internet gets the NAT's address; nothing comes in unasked.
      await new Promise<void>((resolve, reject) => {
        const child = execFile('ip', ['netns', 'exec', nat[side], 'nft', '-f', '-'], (error) =>
          error ? reject(error) : resolve(),
        );
        child.stdin?.end(
          [
            'table ip nat {',
            '  chain postrouting {',
            '    type nat hook postrouting priority 100;',
            '    oifname "wan0" masquerade',
            '  }',
            '}',
            'table ip filter {',
            '  chain forward {',
            '    type filter hook forward priority 0; policy drop;',
            '    iifname "lan*" oifname "wan0" accept',
            '    ct state established,related accept',
            '  }',
            '}',
          ].join('\n'),
        );
      });
    }
    for (const side of sides) {
      const script = path.join(folder, `chromium-${side}`);
      await writeFile(script, `#!/bin/sh\nexec ip netns exec ${agents[side]} ${chromium} "$@"\n`);
      await chmod(script, 0o755);
    }
  } catch (error) {
    await close();
    throw error;
  }

  async function changeAddress(side: Side): Promise<string> {
    moves[side] += 1;
    const n = moves[side];
    const lan = `192.168.${240 + sides.indexOf(side) * 10 + n}`;
    const natNs = `ip netns exec ${nat[side]}`;
    const agentNs = `ip netns exec ${agents[side]}`;
    const [oldEth, newLan, newEth] = [`eth${n - 1}`, `lan${n}`, `eth${n}`];
    await sh(
      [
        `ip link add ${id}m${side} netns ${nat[side]} type veth peer name ${newEth} netns ${agents[side]}`,
        `${natNs} ip link set ${id}m${side} name ${newLan}`,
        `${natNs} ip addr add ${lan}.1/24 dev ${newLan}`,
        `${natNs} ip link set ${newLan} up`,
        `${agentNs} ip addr add ${lan}.2/24 dev ${newEth}`,
        `${agentNs} ip link set ${newEth} up`,
        `${agentNs} ip route replace default via ${lan}.1 dev ${newEth}`,
        // Deleting one end of a veth deletes the other: the old link and address are gone.
        `${agentNs} ip link del ${oldEth}`,
      ].join('\n'),
    );
    return `${lan}.2`;
  }

  return {
    agents,
    chromiumIn: (side) => path.join(folder, `chromium-${side}`),
    changeAddress,
    close,
  };
}
