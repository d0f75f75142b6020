/**
 * A page script that records when each step of a call's set-up happens in the page, in
 * `window[global]` as `{ at, what }` (at: ms since the epoch, sub-millisecond, comparable between
 * pages of one machine): getUserMedia asked/resolved, offer/answer created, local and remote
 * descriptions set, first ICE candidate, gathering complete, ICE and DTLS connected, and each SIP
 * INVITE/100/180/200/ACK sent or received on the WebSocket. A string, so tsx's helpers stay out of
 * the page.
 */
export function callTrace(global: string): string {
  return `
(() => {
  const events = [];
  const mark = (what) => events.push({ at: performance.timeOrigin + performance.now(), what });
  window.${global} = events;
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const gum = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints) => {
      mark('getUserMedia asked');
      return gum(constraints).then((stream) => { mark('getUserMedia resolved'); return stream; });
    };
  }
  const Original = window.RTCPeerConnection;
  const wrap = (name, label) => {
    const method = Original.prototype[name];
    Original.prototype[name] = function (...args) {
      const kind = name.startsWith('set') && args[0] && args[0].type ? ' (' + args[0].type + ')' : '';
      mark(label + kind + ' called');
      return method.apply(this, args).then((value) => { mark(label + kind + ' done'); return value; });
    };
  };
  wrap('createOffer', 'createOffer');
  wrap('createAnswer', 'createAnswer');
  wrap('setLocalDescription', 'setLocalDescription');
  wrap('setRemoteDescription', 'setRemoteDescription');
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      mark('peer connection created');
      let first = true;
      this.addEventListener('icecandidate', (event) => {
        if (event.candidate && first) { first = false; mark('first candidate ' + event.candidate.type + ' ' + event.candidate.protocol); }
        else if (event.candidate) mark('candidate ' + event.candidate.type + ' ' + event.candidate.protocol + ' ' + event.candidate.address);
        if (!event.candidate) mark('end of candidates');
      });
      this.addEventListener('icegatheringstatechange', () => mark('gathering ' + this.iceGatheringState));
      this.addEventListener('iceconnectionstatechange', () => mark('ICE ' + this.iceConnectionState));
      this.addEventListener('connectionstatechange', () => mark('DTLS ' + this.connectionState));
    }
  };
  const nativeFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input.url, location.href).pathname;
    mark('fetch ' + path + ' started');
    return nativeFetch(input, init).then((response) => { mark('fetch ' + path + ' answered'); return response; });
  };
  const NativeEventSource = window.EventSource;
  if (NativeEventSource) window.EventSource = class extends NativeEventSource {
    constructor(...args) {
      super(...args);
      this.addEventListener('change', () => mark('live event received'));
    }
  };
  const sipLabel = (data) => {
    if (typeof data !== 'string') return null;
    const line = data.slice(0, data.indexOf('\\r\\n'));
    const method = /\\r\\nCSeq: *\\d+ +(\\w+)/i.exec(data)?.[1];
    if (method !== 'INVITE' && method !== 'ACK') return null;
    if (line.startsWith('SIP/2.0 ')) return line.slice(8, 11) + ' ' + method;
    return line.slice(0, line.indexOf(' '));
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const label = sipLabel(data);
    if (label) mark(label + ' sent');
    return send.call(this, data);
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const label = sipLabel(event.data);
        if (label) mark(label + ' received');
      });
    }
  };
})();
`;
}

export type TraceEvent = { at: number; what: string };
