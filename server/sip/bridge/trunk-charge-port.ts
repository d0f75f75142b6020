import { EDGE_NOTICE_HEADER } from '../../../contracts/credit';
import type { ChargedCallPort } from '../../billing/call-charging';
import type { BridgeHost } from './bridge-host';
import type { BridgedCall } from './bridged-call';
import { legRequest } from './ua-leg';

/**
 * How charging ends a bridged call (credit ran out) or tells the agent's phone its credit runs
 * out, on whichever call `current` finds holding the record now (a transfer may have moved it).
 */
export function trunkChargePort(host: BridgeHost, current: () => BridgedCall | undefined): ChargedCallPort {
  return {
    endForCredit: (sentence) => {
      const call = current();
      const reason = `SIP;cause=402;text="${sentence.replace(/"/g, '')}"`;
      if (call)
        host.finish(call, {
          disposition: 'answered',
          reason: sentence,
          byeCarrier: reason,
          byeBrowser: reason,
        });
    },
    // A call that starts with little credit is told at once, possibly before the phone's ACK:
    // the INFO waits for it, since a phone still setting up the answer would drop it.
    notify: (sentence) => current()?.whenAgentConfirmed(() => tellAgent(host, current(), sentence)),
  };
}

function tellAgent(host: BridgeHost, call: BridgedCall | undefined, sentence: string): void {
  if (!call || call.ended) return;
  const info = legRequest(host.context, call.browser, 'INFO', {
    body: sentence,
    contentType: 'text/plain',
    headers: [[EDGE_NOTICE_HEADER, 'credit']],
  });
  const connection = call.browser.connection;
  if (!info || !connection) return;
  try {
    host.context.layer.sendRequest(info, connection);
  } catch (error) {
    host.context.log.warn('SIP edge: could not tell a phone its credit runs out', error);
  }
}
