export type ApiResponse<T = unknown> = {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  text: string;
  headers: Headers;
};

export type RequestOptions = {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
};

const COOKIE_NAME = 'sb_session';

/** A browser-like API client: keeps the session cookie it is given. */
export class ApiClient {
  private cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** The session cookie as the server set it (`sb_session=…`), or undefined. */
  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  set sessionCookie(value: string | undefined) {
    this.cookie = value;
  }

  async signIn(username: string, password: string): Promise<ApiResponse> {
    return this.post('/api/session', { json: { username, password } });
  }

  get<T = unknown>(path: string, options: RequestOptions = {}) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, options: RequestOptions = {}) {
    return this.request<T>('POST', path, options);
  }
  patch<T = unknown>(path: string, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, options);
  }
  put<T = unknown>(path: string, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, options);
  }
  delete<T = unknown>(path: string, options: RequestOptions = {}) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] ??= options.contentType ?? 'application/json';
    }
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    this.keepCookie(response.headers);
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    return {
      status: response.status,
      body: (isJson && text ? JSON.parse(text) : text) as T,
      text,
      headers: response.headers,
    };
  }

  /** Opens a raw streaming request with this client's cookie (for `/api/events`). */
  stream(path: string, signal: AbortSignal): Promise<Response> {
    return fetch(this.baseUrl + path, { headers: this.cookie ? { cookie: this.cookie } : {}, signal });
  }

  private keepCookie(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name, ...rest] = pair.split('=');
      if (name?.trim() !== COOKIE_NAME) continue;
      const value = rest.join('=');
      this.cookie = value ? `${COOKIE_NAME}=${value}` : undefined;
    }
  }
}
