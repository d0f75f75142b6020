/**
 * jsdom has no EventSource. This stand-in records every stream the app opens so a test can
 * push events (`emit`), fail it (`fail`) and check it was closed.
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;

  static instances: FakeEventSource[] = [];

  readonly url: string;
  readonly withCredentials: boolean;
  readyState: number = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL, init?: EventSourceInit) {
    super();
    this.url = String(url);
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  /** The streams still open, newest last. */
  static open(): FakeEventSource[] {
    return FakeEventSource.instances.filter((source) => source.readyState !== FakeEventSource.CLOSED);
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  connect(): void {
    this.readyState = FakeEventSource.OPEN;
    const event = new Event('open');
    this.dispatchEvent(event);
    this.onopen?.(event);
  }

  emit(type: string, data: unknown): void {
    const event = new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    this.dispatchEvent(event);
    if (type === 'message') this.onmessage?.(event);
  }

  /** A dropped connection the browser will retry (`closed: false`) or a refused one (`closed: true`). */
  fail({ closed }: { closed: boolean }): void {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    const event = new Event('error');
    this.dispatchEvent(event);
    this.onerror?.(event);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}
