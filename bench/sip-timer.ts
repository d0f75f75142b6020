/**
 * A page script that records, per Call-ID, when the first INVITE of a dialog leaves the page's
 * WebSocket and when its ACK leaves, in `window[global]`. With `header`, only INVITEs carrying
 * that header count (e.g. monitor sessions). A string, so tsx's helpers stay out of the page.
 */
export function sipTimer(global: string, header?: string): string {
  const only = header ? ` && /\\r\\n${header}:/i.test(data)` : '';
  return `
(() => {
  const marks = {};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      const callId = /\\r\\nCall-ID: *([^\\r]+)/i.exec(data)?.[1];
      const method = data.slice(0, data.indexOf(' '));
      if (callId && method === 'INVITE'${only} && !/\\r\\nTo:[^\\r]*;tag=/i.test(data)) marks[callId] = { invite: performance.now() };
      if (callId && method === 'ACK' && marks[callId] && marks[callId].ack === undefined) marks[callId].ack = performance.now();
    }
    return send.call(this, data);
  };
  window.${global} = marks;
})();
`;
}

/** The INVITE → ACK times (ms) recorded by `sipTimer` under `global`, oldest first. */
export function sipTimes(global: string): string {
  return `Object.values(window.${global}).filter((m) => m.ack !== undefined).map((m) => m.ack - m.invite)`;
}
