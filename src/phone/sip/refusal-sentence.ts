import { asSentence } from '../../lib/sentence';

/** RFC 3261's default reason phrases: when the edge sent one of these, we say it our way. */
const standardPhrases: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  407: 'proxy authentication required',
  408: 'request timeout',
  410: 'gone',
  480: 'temporarily unavailable',
  484: 'address incomplete',
  486: 'busy here',
  487: 'request terminated',
  488: 'not acceptable here',
  500: 'server internal error',
  503: 'service unavailable',
  504: 'server time-out',
  600: 'busy everywhere',
  603: 'decline',
  604: 'does not exist anywhere',
};

/** The edge's own reason phrase as a sentence; null when it sent none or a standard one. */
function edgePhrase(status: number, reasonPhrase: string): string | null {
  const phrase = reasonPhrase.trim();
  return phrase !== '' && standardPhrases[status] !== phrase.toLowerCase() ? asSentence(phrase) : null;
}

function ownSentence(status: number, target: string): string {
  switch (status) {
    case 404:
    case 604:
      return `Nobody has the number or username ${target}.`;
    case 480:
      return `${target} is not signed in to the phone right now.`;
    case 486:
    case 600:
      return `${target} is busy.`;
    case 487:
      return 'The call was cancelled.';
    case 408:
      return `${target} did not answer.`;
    case 603:
      return `${target} declined the call.`;
    case 403:
      return 'The server refused the call.';
    case 484:
      return `${target} is not a complete number.`;
    case 488:
      return `${target}'s phone cannot take this kind of call.`;
    case 503:
      return 'The phone service is unavailable right now. Try again in a moment.';
    default:
      return status >= 500
        ? `The phone server failed to connect the call (${status}).`
        : `The call could not be connected (${status}).`;
  }
}

/**
 * A SIP refusal as a sentence a person can act on. A reason phrase the edge wrote itself
 * ("Profile capacity reached (5 of 5 signed in)") is shown as it is; a standard one ("Busy
 * Here") becomes our own sentence about `target`.
 */
export function refusalSentence(status: number, reasonPhrase: string, target = 'The other side'): string {
  return edgePhrase(status, reasonPhrase) ?? ownSentence(status, target);
}

/** Same, for REGISTER: the edge's own phrase, or what a refused registration means. */
export function registrationRefusalSentence(status: number, reasonPhrase: string): string {
  const phrase = edgePhrase(status, reasonPhrase);
  if (phrase) return phrase;
  if (status === 401 || status === 407 || status === 403)
    return 'The phone server did not accept this phone’s credentials. Sign out and in again.';
  if (status === 503) return 'The phone server is unavailable right now.';
  return `The phone server refused to register this phone (${status}).`;
}

/** A refused monitor request (listen, whisper, barge) about `agent`'s call, as a sentence. */
export function monitorRefusalSentence(status: number, reasonPhrase: string, agent: string): string {
  const phrase = edgePhrase(status, reasonPhrase);
  if (phrase) return phrase;
  switch (status) {
    case 401:
    case 403:
    case 407:
      return `The server did not let you monitor ${agent}’s call.`;
    case 404:
    case 604:
      return `${agent} could not be found.`;
    case 480:
      return `${agent} is not on a call that can be monitored right now.`;
    case 481:
      return `${agent}’s call has ended.`;
    case 487:
      return 'Monitoring was cancelled.';
    case 408:
      return `${agent}’s phone did not answer the monitor request.`;
    case 488:
      return `${agent}’s phone cannot take a monitor session.`;
    default:
      return status >= 500
        ? `The phone server could not start monitoring (${status}).`
        : `Monitoring could not be started (${status}).`;
  }
}

/** A refused mode change during a monitor session, as a sentence. */
export function modeChangeRefusalSentence(status: number, reasonPhrase: string, mode: string): string {
  return edgePhrase(status, reasonPhrase) ?? `Switching to ${mode} was refused (${status}).`;
}
