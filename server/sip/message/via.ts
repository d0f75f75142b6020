import { formatParams, isTokenCharAt, parseParams, type Params } from './header-syntax';

/** The magic cookie that marks an RFC 3261 branch (RFC 3261 8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export interface Via {
  protocolName: string;
  protocolVersion: string;
  /** Uppercase: WS, WSS, UDP, TCP, TLS… */
  transport: string;
  host: string;
  port: number | null;
  params: Params;
}

/** Parses one Via value: `SIP/2.0/WSS host:port;branch=z9hG4bK…;rport`. */
export function parseVia(text: string): Via | null {
  const value = text.trim();
  const parts: string[] = [];
  let i = 0;
  // sent-protocol allows linear whitespace around each '/'.
  for (let n = 0; n < 3; n++) {
    while (i < value.length && (value[i] === ' ' || value[i] === '\t')) i++;
    const start = i;
    while (isTokenCharAt(value, i)) i++;
    if (i === start) return null;
    parts.push(value.slice(start, i));
    while (i < value.length && (value[i] === ' ' || value[i] === '\t')) i++;
    if (n < 2) {
      if (value[i] !== '/') return null;
      i++;
    }
  }
  const [protocolName, protocolVersion, transport] = parts;
  if (protocolName === undefined || protocolVersion === undefined || transport === undefined) {
    return null;
  }
  const rest = value.slice(i).trim();
  const semicolon = rest.indexOf(';');
  const sentBy = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
  const hostPort = parseSentBy(sentBy);
  if (!hostPort) return null;
  const params = semicolon === -1 ? new Map() : parseParams(rest.slice(semicolon));
  if (!params) return null;
  return {
    protocolName: protocolName.toUpperCase(),
    protocolVersion,
    transport: transport.toUpperCase(),
    host: hostPort.host,
    port: hostPort.port,
    params,
  };
}

function parseSentBy(text: string): { host: string; port: number | null } | null {
  let host: string;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return null;
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1).trim();
    if (rest !== '') {
      if (!rest.startsWith(':')) return null;
      portText = rest.slice(1).trim();
    }
    if (!/^\[[0-9A-Fa-f:.]+\]$/.test(host)) return null;
  } else {
    const colon = text.indexOf(':');
    host = (colon === -1 ? text : text.slice(0, colon)).trim();
    if (colon !== -1) portText = text.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9\-._]+$/.test(host)) return null;
  }
  if (portText === null) return { host: host.toLowerCase(), port: null };
  if (!/^[0-9]{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

export function viaBranch(via: Via): string | null {
  return via.params.get('branch') ?? null;
}

export function viaReceived(via: Via): string | null {
  return via.params.get('received') ?? null;
}

/** rport per RFC 3581: a number once filled in, true when requested, null when absent. */
export function viaRport(via: Via): number | true | null {
  if (!via.params.has('rport')) return null;
  const value = via.params.get('rport');
  if (value === null || value === undefined || value === '') return true;
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : true;
}

/** `host:port` as used to match server transactions; the port defaults per transport. */
export function viaSentBy(via: Via): string {
  const port = via.port ?? defaultPort(via.transport);
  return `${via.host}:${port}`;
}

function defaultPort(transport: string): number {
  switch (transport) {
    case 'TLS':
      return 5061;
    case 'WS':
      return 80;
    case 'WSS':
      return 443;
    default:
      return 5060;
  }
}

export function hasMagicCookie(branch: string | null): branch is string {
  return branch !== null && branch.startsWith(BRANCH_MAGIC_COOKIE);
}
