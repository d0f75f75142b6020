/** Tones a DTMF keypad sends. */
export const dtmfTones = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type DtmfTone = (typeof dtmfTones)[number];

export function isDtmfTone(value: string): value is DtmfTone {
  return (dtmfTones as readonly string[]).includes(value);
}

/** The body of a SIP INFO carrying one tone (application/dtmf-relay, as most PBXes expect). */
export function dtmfRelayBody(tone: DtmfTone, durationMs = 100): string {
  return `Signal=${tone}\r\nDuration=${durationMs}\r\n`;
}

/** The tone in an application/dtmf-relay body, or null. */
export function parseDtmfRelay(body: string): string | null {
  const match = /^\s*Signal\s*=\s*([0-9A-D*#])\s*$/im.exec(body);
  return match?.[1] ?? null;
}
