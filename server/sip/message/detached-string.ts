/** V8 copies a substring shorter than this; a longer one is a slice of the string it was cut from. */
const SLICE_MIN_LENGTH = 13;

/**
 * A copy of `text` that keeps nothing else alive. A header value cut from a message is a slice
 * that holds the message's whole text: kept past the message (a binding's Contact and its
 * parameters, the phone's User-Agent) it would keep ≈ 1 KB per registered phone for as long as
 * the phone stays registered. SIP text comes from UTF-8 bytes, so the round trip changes nothing.
 */
export function detached(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : Buffer.from(text, 'utf8').toString('utf8');
}
