// Memory and CPU of a server measured from outside, the same way for a Node process and for a
// multi-process server such as Kamailio (a root process and all its descendants), from /proc.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

function stat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(stat(pid)?.[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}

function kilobytes(file: string, field: string): number {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return Number(line?.split(/\s+/)[1] ?? 0);
  } catch {
    return 0;
  }
}

export type TreeMemory = {
  processes: number;
  /** Resident set sizes summed, bytes: pages shared between the processes count once per process. */
  rss: number;
  /** Proportional set sizes summed, bytes: each shared page split between its sharers. */
  pss: number;
};

export function memoryOf(pids: number[]): TreeMemory {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    rss += kilobytes(`/proc/${pid}/status`, 'VmRSS') * 1024;
    pss += kilobytes(`/proc/${pid}/smaps_rollup`, 'Pss') * 1024;
  }
  return { processes: pids.length, rss, pss };
}

/** CPU seconds (user + system) spent so far by these processes. */
export function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = stat(pid);
    ticks += Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0);
  }
  return ticks / TICKS;
}
