import type { NumberFormat } from '../../../contracts/trunks';

/**
 * An E.164 number as the carrier wants it in Request-URI and To: unchanged for `e164`; for
 * `national`, a number starting with the prefix to strip (+49) gets the national prefix (0)
 * instead, and any other stays in E.164.
 */
export function toCarrierFormat(e164: string, format: NumberFormat): string {
  if (format.kind === 'e164' || !e164.startsWith(format.stripPrefix)) return e164;
  return format.nationalPrefix + e164.slice(format.stripPrefix.length);
}

/**
 * A number the carrier sent (Request-URI, To or From user) read back as E.164, or null when it is
 * no number. National numbers are read with the trunk's own prefixes, else with the deployment's
 * country code.
 */
export function fromCarrierFormat(
  user: string,
  format: NumberFormat,
  defaultCountryCode: string,
): string | null {
  const compact = user.trim().replace(/[\s\-.()]/g, '');
  if (/^\+[1-9][0-9]{5,14}$/.test(compact)) return compact;
  if (/^00[1-9][0-9]{5,14}$/.test(compact)) return `+${compact.slice(2)}`;
  if (!/^[0-9]{3,15}$/.test(compact)) return null;
  if (format.kind === 'national' && compact.startsWith(format.nationalPrefix)) {
    const number = format.stripPrefix + compact.slice(format.nationalPrefix.length);
    return /^\+[1-9][0-9]{5,14}$/.test(number) ? number : null;
  }
  const national = compact.startsWith('0') ? compact.slice(1) : compact;
  const number =
    national.startsWith(defaultCountryCode) && national.length > 10
      ? `+${national}`
      : `+${defaultCountryCode}${national}`;
  return /^\+[1-9][0-9]{5,14}$/.test(number) ? number : null;
}
