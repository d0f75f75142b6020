import type { PhoneCommands } from './phone-commands';
import { CallState } from './sip/phone-state';
import type { PhoneUserAgent } from './sip/phone-user-agent';

/** The commands that act on calls and the connection: the store hands them straight to the SIP side. */
export type CallCommands = Pick<
  PhoneCommands,
  | 'dial'
  | 'answer'
  | 'decline'
  | 'hangUp'
  | 'setMuted'
  | 'setHeld'
  | 'sendDtmf'
  | 'blindTransfer'
  | 'attendedTransfer'
  | 'switchTo'
  | 'retryNow'
>;

/**
 * The store's call commands on the user agent itself (one conversation at a time: placing,
 * answering or switching to a call holds the others); what does not work is told as a sentence.
 */
export function callCommands(phone: PhoneUserAgent, tell: (problem: unknown) => void): CallCommands {
  /** Puts every answered call except `keep` on hold. */
  const holdOthers = async (keep: string | null): Promise<void> => {
    await Promise.all(
      phone
        .callInfos()
        .filter((call) => call.id !== keep && call.state === CallState.Established && !call.held)
        .map((call) => phone.setHeld(call.id, true)),
    );
  };
  /** Runs `work`, telling what went wrong. */
  const attempt = (work: () => Promise<unknown>) => void work().catch(tell);

  return {
    dial: (target) =>
      attempt(async () => {
        await holdOthers(null);
        phone.call(target);
      }),
    answer: (callId) =>
      attempt(async () => {
        await holdOthers(callId);
        await phone.answer(callId);
      }),
    decline: (callId) => attempt(() => phone.hangUp(callId)),
    hangUp: (callId) => attempt(() => phone.hangUp(callId)),
    setMuted: (callId, muted) => {
      try {
        phone.setMuted(callId, muted);
      } catch (error) {
        tell(error);
      }
    },
    setHeld: (callId, held) =>
      attempt(async () => {
        if (!(await phone.setHeld(callId, held)))
          tell(held ? 'The other side did not accept the hold.' : 'The call could not be resumed.');
      }),
    sendDtmf: (callId, tone) =>
      attempt(async () => {
        if (!(await phone.sendDtmf(callId, tone))) tell('The tone could not be sent.');
      }),
    blindTransfer: (callId, target) =>
      attempt(async () => {
        const problem = await phone.blindTransfer(callId, target);
        if (problem) tell(`The transfer to ${target} did not work: ${problem}`);
      }),
    attendedTransfer: (callId, toCallId) =>
      attempt(async () => {
        const problem = await phone.attendedTransfer(callId, toCallId);
        if (problem) tell(`The transfer did not work: ${problem}`);
      }),
    switchTo: (callId) =>
      attempt(async () => {
        await holdOthers(callId);
        const call = phone.callInfos().find((candidate) => candidate.id === callId);
        if (call?.held) await phone.setHeld(callId, false);
      }),
    retryNow: () => phone.retryNow(),
  };
}
