/**
 * Sends a held INVITE's provisional response again every `everyMs` until stopped. A caller may
 * wait in a queue for many minutes with nothing but the first 180: a proxy or carrier between
 * us and the phone runs Timer C (RFC 3261 §16.6, more than 3 minutes without a response) and
 * cancels the call, and a 180 lost on UDP is never sent again. §13.3.1.1 asks a UAS that takes
 * long to answer for a non-100 provisional response every minute, which is the default
 * (SIP_RINGING_REPEAT_SECONDS): three chances before Timer C runs out. `send` returning false
 * (the transaction is no longer waiting) stops the repeat as well.
 */
export function repeatRinging(send: () => boolean, everyMs: number): () => void {
  const timer = setInterval(() => {
    if (!send()) clearInterval(timer);
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
