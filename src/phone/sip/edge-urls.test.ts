import { describe, expect, it } from 'vitest';
import type { SipCredentials } from '../../../contracts/sip';
import { edgeUrls, webSocketUrl } from './edge-urls';

const base = { wsPath: '/sip' } as SipCredentials;

describe('edge URLs', () => {
  it('turns a path into ws: or wss: on the page origin, and keeps whole ws(s) URLs as they are', () => {
    expect(webSocketUrl('http://localhost:8080', '/sip')).toBe('ws://localhost:8080/sip');
    expect(webSocketUrl('https://pbx.example.com', '/sip')).toBe('wss://pbx.example.com/sip');
    expect(webSocketUrl('https://pbx.example.com', 'wss://edge-b.example.com:8443/ws')).toBe(
      'wss://edge-b.example.com:8443/ws',
    );
    expect(webSocketUrl('https://pbx.example.com', 'ws://10.0.0.2:5066/')).toBe('ws://10.0.0.2:5066/');
  });

  it('uses the listed edges in order, and the built-in edge when the list is absent or empty', () => {
    expect(edgeUrls({ ...base, wsUrls: ['ws://127.0.0.1:9/sip', '/sip'] }, 'http://localhost:8080')).toEqual([
      'ws://127.0.0.1:9/sip',
      'ws://localhost:8080/sip',
    ]);
    expect(edgeUrls({ ...base, wsUrls: [] }, 'http://localhost:8080')).toEqual(['ws://localhost:8080/sip']);
    expect(edgeUrls(base, 'https://pbx.example.com')).toEqual(['wss://pbx.example.com/sip']);
  });
});
