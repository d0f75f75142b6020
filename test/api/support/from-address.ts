import { request } from 'node:http';
import type { ApiResponse } from './api-client';

/**
 * Loopback is a whole /8 on Linux: a client bound to 127.0.0.x reaches a server on 127.0.0.1
 * and the server sees 127.0.0.x. Tests of per-address limits use this to be several clients.
 */
export function loopbackAddress(n: number): string {
  if (!Number.isInteger(n) || n < 2 || n > 254) throw new Error(`no loopback address 127.0.0.${n}`);
  return `127.0.0.${n}`;
}

/** POSTs JSON to `url` from the local address `localAddress`; the answer as ApiClient gives it. */
export function postJsonFrom(localAddress: string, url: string, json: unknown): Promise<ApiResponse> {
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
          }
          const isJson = headers.get('content-type')?.includes('json') ?? false;
          resolve({
            status: res.statusCode ?? 0,
            body: isJson && text ? JSON.parse(text) : text,
            text,
            headers,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /api/session from `localAddress`. */
export function signInFrom(
  localAddress: string,
  baseUrl: string,
  username: string,
  password: string,
): Promise<ApiResponse> {
  return postJsonFrom(localAddress, `${baseUrl}/api/session`, { username, password });
}
