import { fork, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FrameBatch } from './frame-batch';
import { FrameReader } from './frame-codec';
import { DATA_FD, In, Out, type FromWorker, type ToWorker, type WorkerSettings } from './protocol';

/** What the workers report of the connections they hold, by slot. */
export interface SocketWorkerEvents {
  opened(slot: number): void;
  message(slot: number, payload: string | Buffer): void;
  closed(slot: number): void;
  /** A connection's socket error (for a debug log). */
  error(slot: number, error: Error): void;
  /** A worker could not start, failed or stopped: a sentence for the operator's log. */
  trouble(sentence: string): void;
}

export interface SocketWorkersOptions extends WorkerSettings {
  /** How many worker processes share the connections. */
  count: number;
}

/** The worker's entry, run by tsx as the server is (npm start: `node --import tsx`). */
const WORKER_FILE = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** The repository's root, where `--import tsx` is resolved. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/**
 * A worker keeps little but its sockets, and what it relays is garbage at once: with semi-spaces
 * of 1 MB (Node's default grows them to 16 MB) its young generation stays small.
 * bench:sip, 10 000 clients registering, alternating: the worker grew by 4.3–4.9 KB per
 * connection with it against 7.0 KB without, for no more CPU per registration.
 */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=1'];
/** A worker that died is replaced after this long (not in a loop if it dies at once). */
const RESPAWN_MS = 1000;
/** At shutdown, connections get this long to close before their workers are stopped. */
const CLOSE_WAIT_MS = 1500;

interface Worker {
  child: ChildProcess;
  /** The data pipe: frames both ways (frame-codec.ts). */
  data: Duplex;
  ready: boolean;
  slots: Set<number>;
  /** What is asked of it, on its way into the data pipe. */
  out: FrameBatch;
}

/**
 * The edge's socket workers: child processes that own SIP WebSockets so the edge's thread
 * spends itself on SIP, not on framing and system calls. They start with the server (or at the
 * first upgrade); until one is ready, and if none can start, the server's own process serves the
 * WebSockets. Nothing of SIP state lives in them: one that dies loses its connections (the edge
 * hears them close, as if the peers had gone) and is replaced.
 */
export class SocketWorkers {
  readonly #workers: Worker[] = [];
  readonly #owner = new Map<number, Worker>();
  #nextSlot = 1;
  #started: Promise<void> | null = null;
  #closing = false;

  constructor(
    private readonly options: SocketWorkersOptions,
    private readonly events: SocketWorkerEvents,
  ) {}

  /**
   * Starts the workers (once, and not after stop(); one that stops later is replaced by
   * #exited). Resolves when each is ready or has failed to start.
   */
  start(): Promise<void> {
    if (this.#closing) return this.#started ?? Promise.resolve();
    this.#started ??= Promise.all(
      Array.from(
        { length: this.options.count },
        () =>
          new Promise<void>((resolve) => {
            const { child } = this.#spawn();
            child.once('message', () => resolve());
            child.once('exit', () => resolve());
          }),
      ),
    ).then(() => undefined);
    return this.#started;
  }

  /** Whether a worker can take a socket now; until then the caller serves it in-process. */
  get ready(): boolean {
    return !this.#closing && this.#leastBusy() !== null;
  }

  /**
   * Hands a socket to the least busy ready worker (check `ready` first); returns the slot the
   * worker will report it by (opened, then messages, then closed).
   */
  adopt(request: IncomingMessage, socket: Socket, head: Buffer): number {
    const worker = this.#leastBusy();
    if (!worker) throw new Error('No SIP socket worker is ready to take the socket.');
    const slot = this.#nextSlot++;
    this.#handOver(worker, slot, request, socket, head);
    return slot;
  }

  send(slot: number, payload: string | Buffer): void {
    this.#queue(slot, typeof payload === 'string' ? Out.Text : Out.Binary, payload);
  }

  /** Closes it normally, or with a reason as a policy violation (see closeWebSocket). */
  close(slot: number, reason?: string): void {
    if (reason === undefined) this.#queue(slot, Out.Close, '');
    else this.#queue(slot, Out.CloseForPolicy, reason);
  }

  /** Closes every connection (1001), waits for them briefly, then stops the workers. */
  async stop(): Promise<void> {
    this.#closing = true;
    const workers = this.#workers.splice(0);
    await Promise.all(
      workers.map(async (worker) => {
        if (worker.ready && worker.slots.size > 0 && worker.child.connected) {
          worker.out.flush();
          worker.child.send({ kind: 'close-all' } satisfies ToWorker);
          const started = Date.now();
          while (worker.slots.size > 0 && Date.now() - started < CLOSE_WAIT_MS && worker.child.connected)
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await stopChild(worker.child);
      }),
    );
  }

  #spawn(): Worker {
    const settings: WorkerSettings = {
      maxPayloadBytes: this.options.maxPayloadBytes,
      keepAliveMs: this.options.keepAliveMs,
      maxBufferedBytes: this.options.maxBufferedBytes,
    };
    const child = fork(WORKER_FILE, [JSON.stringify(settings)], {
      cwd: ROOT,
      execArgv: [...WORKER_NODE_FLAGS, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    });
    const data = child.stdio[DATA_FD] as Duplex;
    const out = new FrameBatch((bytes) => {
      if (data.writable) data.write(bytes);
    });
    const worker: Worker = { child, data, ready: false, slots: new Set(), out };
    this.#workers.push(worker);
    const reader = new FrameReader((kind, slot, bytes, start, end) =>
      this.#receive(worker, kind, slot, bytes, start, end),
    );
    data.on('data', (chunk: Buffer) => reader.feed(chunk));
    data.on('error', (error) =>
      this.events.trouble(`A SIP socket worker's data pipe failed: ${error.message}.`),
    );
    child.on('message', (message: FromWorker) => {
      if (message.kind === 'ready') worker.ready = true;
    });
    child.on('error', (error) => this.events.trouble(`A SIP socket worker failed: ${error.message}.`));
    child.once('exit', (code, signal) => this.#exited(worker, code, signal));
    return worker;
  }

  #exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    const lost = worker.slots.size;
    for (const slot of worker.slots) {
      this.#owner.delete(slot);
      this.events.closed(slot);
    }
    worker.slots.clear();
    if (this.#closing) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!worker.ready) {
      // It never started (tsx missing, a broken file): not tried again; the server's own
      // process serves the WebSockets.
      this.events.trouble(
        `A SIP socket worker could not start (exit ${how}); SIP WebSockets are served by the server's own process.`,
      );
      return;
    }
    this.events.trouble(
      `A SIP socket worker stopped (${how}); its ${lost} connection${lost === 1 ? '' : 's'} closed, starting another.`,
    );
    setTimeout(() => {
      if (!this.#closing) this.#spawn();
    }, RESPAWN_MS).unref();
  }

  #leastBusy(): Worker | null {
    let best: Worker | null = null;
    for (const worker of this.#workers) {
      if (worker.ready && (!best || worker.slots.size < best.slots.size)) best = worker;
    }
    return best;
  }

  #handOver(worker: Worker, slot: number, request: IncomingMessage, socket: Socket, head: Buffer): void {
    if (socket.destroyed) {
      // Told after adopt() has returned, so its caller knows the slot.
      queueMicrotask(() => this.events.closed(slot));
      return;
    }
    worker.slots.add(slot);
    this.#owner.set(slot, worker);
    // Node would otherwise tie the HTTP server's close to this worker: a server whose sockets
    // were sent polls the receiving processes at close, and never finishes once they have
    // exited. The worker owns the socket now; for the server it is gone (the husk is destroyed
    // once the send, which may wait behind another socket's, has taken its handle).
    (socket as Socket & { server: unknown }).server = null;
    // Nothing more is read here. Until the send has taken the handle (it may wait behind another
    // socket's) and closed this process's copy, both processes hold the socket; a REGISTER the
    // phone sends once the worker has answered the handshake could be read on this side, where
    // Node hands it to nobody, and the phone would wait for an answer for ever (bench:sip stalled
    // so, one client in thousands). Node's own way to stop a socket's reading is on its handle.
    (socket as Socket & { _handle?: { readStop?: () => number } | null })._handle?.readStop?.();
    worker.child.send(
      {
        kind: 'adopt',
        slot,
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        head: head.toString('base64'),
      } satisfies ToWorker,
      socket,
      (error) => {
        socket.destroy();
        if (error) this.#lost(worker, slot);
      },
    );
  }

  /** A socket that never reached its worker (the channel closed): nobody will report it. */
  #lost(worker: Worker, slot: number): void {
    if (!worker.slots.delete(slot)) return;
    this.#owner.delete(slot);
    this.events.closed(slot);
  }

  /**
   * One frame from a worker, told in a callback of its own, as a socket's data would be: the
   * promises one message starts (a digest check, its limiter counts) settle before the next
   * message of the batch is told, so a batch behaves as the same messages on their own sockets.
   */
  #receive(worker: Worker, kind: number, slot: number, bytes: Buffer, start: number, end: number): void {
    const payload =
      kind === In.Text || kind === In.Error
        ? bytes.toString('utf8', start, end)
        : kind === In.Binary
          ? Buffer.from(bytes.subarray(start, end))
          : null;
    setImmediate(this.#tell, worker, kind, slot, payload);
  }

  readonly #tell = (worker: Worker, kind: number, slot: number, payload: string | Buffer | null): void => {
    switch (kind) {
      case In.Text:
      case In.Binary:
        this.events.message(slot, payload ?? '');
        break;
      case In.Opened:
        this.events.opened(slot);
        break;
      case In.Closed:
        worker.slots.delete(slot);
        this.#owner.delete(slot);
        this.events.closed(slot);
        break;
      case In.Error:
        this.events.error(slot, new Error(String(payload)));
        break;
    }
  };

  /** What is asked of one connection, to the worker holding it (batched: frame-batch.ts). */
  #queue(slot: number, kind: number, payload: string | Buffer): void {
    this.#owner.get(slot)?.out.push(kind, slot, payload);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // It exits when its channel closes; a kill is the fallback.
    if (child.connected) child.disconnect();
    setTimeout(() => child.kill('SIGKILL'), CLOSE_WAIT_MS).unref();
  });
}
