import type { CallDirection, CallRecord } from '../../../contracts/calls';

const directionWords: Record<CallDirection, { arrow: string; word: string }> = {
  internal: { arrow: '↔', word: 'Internal' },
  outbound: { arrow: '↗', word: 'Outbound' },
  inbound: { arrow: '↙', word: 'Inbound' },
};

/**
 * Which way the call went, as an arrow and a word; on a trunk call also the customer's number
 * and the trunk it went over ("+4915112345678 via carrier_de").
 */
export function CallDirectionCell({ call }: { call: CallRecord }) {
  const { arrow, word } = directionWords[call.direction];
  return (
    <span className="call-direction">
      <span>
        <span aria-hidden="true">{arrow} </span>
        {word}
      </span>
      {call.direction !== 'internal' && (call.number || call.trunk) ? (
        <span className="muted">
          {call.number ?? 'Unknown number'}
          {call.trunk ? ` via ${call.trunk}` : ''}
        </span>
      ) : null}
    </span>
  );
}
