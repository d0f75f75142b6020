import type { TrunkConfig } from './trunk-config';

/** The longest of a trunk's prefixes that `e164` starts with; -1 when none does. */
export function matchingPrefixLength(trunk: TrunkConfig, e164: string): number {
  let longest = -1;
  for (const prefix of trunk.prefixes) {
    if (e164.startsWith(prefix) && prefix.length > longest) longest = prefix.length;
  }
  return longest;
}

/**
 * The enabled trunks serving `e164`, in the order a call tries them: those not known to be down
 * first, each group by the longest matching prefix, then priority (lower first), then id.
 */
export function orderRoutes(
  trunks: Iterable<TrunkConfig>,
  e164: string,
  isDown: (trunkId: number) => boolean,
): TrunkConfig[] {
  const candidates: { trunk: TrunkConfig; prefix: number; down: boolean }[] = [];
  for (const trunk of trunks) {
    if (!trunk.enabled) continue;
    const prefix = matchingPrefixLength(trunk, e164);
    if (prefix >= 0) candidates.push({ trunk, prefix, down: isDown(trunk.id) });
  }
  candidates.sort(
    (a, b) =>
      Number(a.down) - Number(b.down) ||
      b.prefix - a.prefix ||
      a.trunk.priority - b.trunk.priority ||
      a.trunk.id - b.trunk.id,
  );
  return candidates.map((each) => each.trunk);
}
