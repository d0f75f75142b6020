import type { NumberFormat, Trunk, TrunkStatus } from '../../../contracts/trunks';
import { formatDateTime } from '../../lib/format-time';

/** "sip.carrier.example:5060/udp": where the edge sends the trunk's requests. */
export const trunkAddress = (trunk: Pick<Trunk, 'host' | 'port' | 'transport'>) =>
  `${trunk.host.includes(':') ? `[${trunk.host}]` : trunk.host}:${trunk.port}/${trunk.transport}`;

/** How the carrier knows us, in words. */
export function authWords(auth: Trunk['auth']): string {
  if (auth.kind === 'register')
    return `Registers as ${auth.username}${auth.hasPassword ? '' : ' (no password stored)'}`;
  return `By address: ${auth.addresses.join(', ')}`;
}

const stateWords: Record<TrunkStatus['state'], string> = {
  up: 'Up',
  down: 'Down',
  unknown: 'Not checked yet',
  disabled: 'Disabled',
};

/** The keep-alive's verdict in one line: "Up, 23 ms round trip", "Down: No answer to OPTIONS within 5 s". */
export function statusLine(status: TrunkStatus): string {
  const words = stateWords[status.state];
  if (status.state === 'up' && status.roundTripMs !== null)
    return `${words}, ${Math.round(status.roundTripMs)} ms round trip`;
  if (status.state === 'down' && status.lastError) return `${words}: ${status.lastError}`;
  return words;
}

/** A registering trunk's registration, or null for one authenticated by address. */
export function registrationLine(status: TrunkStatus): string | null {
  const registration = status.registration;
  if (!registration) return null;
  if (registration.state === 'registered')
    return registration.expiresAt
      ? `Registered until ${formatDateTime(registration.expiresAt)}`
      : 'Registered';
  if (registration.state === 'registering') return 'Registering…';
  return 'Registration failed';
}

/** The last problem when the state line does not already say it (an up trunk that failed once). */
export function lastErrorLine(status: TrunkStatus): string | null {
  if (!status.lastError || status.state === 'down') return null;
  return `Last problem: ${status.lastError}`;
}

const SAMPLE_SUBSCRIBER = '3012345678';

/**
 * What the number format does to a number, as an example: "+493012345678 is sent as
 * 03012345678". Null while the prefix to strip is not a country code yet.
 */
export function numberFormatExample(format: NumberFormat): string | null {
  if (format.kind === 'e164') return `+49${SAMPLE_SUBSCRIBER} is sent as +49${SAMPLE_SUBSCRIBER}, unchanged.`;
  if (!/^\+[0-9]{1,15}$/.test(format.stripPrefix) || !/^[0-9]{0,4}$/.test(format.nationalPrefix)) return null;
  const room = Math.max(0, 16 - format.stripPrefix.length);
  const subscriber = SAMPLE_SUBSCRIBER.slice(0, room);
  return `${format.stripPrefix}${subscriber} is sent as ${format.nationalPrefix}${subscriber}; numbers of other countries go as E.164.`;
}

/** "+49, +43": the prefixes as the table and the form's text field show them. */
export const prefixesText = (prefixes: readonly string[]) => prefixes.join(', ');

/** A list typed with commas, spaces or new lines. */
export const splitList = (text: string) => text.split(/[\s,;]+/).filter((item) => item !== '');
