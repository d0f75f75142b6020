// The SIP load generator shared by the registrar benches: lean WebSocket clients that register
// with the full digest challenge (REGISTER → 401 → REGISTER + Authorization → 200), the same
// bytes whichever registrar answers.
import { hash, randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { randomBase64url } from '../../server/sip/message/random-pool';

/** The SIP domain, and one password for every user or each user's own (users made through the API). */
export type Account = { domain: string; password: string | ((user: string) => string) };

const md5 = (text: string) => hash('md5', text, 'hex');

/** The WWW-Authenticate line to answer: MD5 when several are offered, else the only one. */
function md5Challenge(response: string): string {
  const lines = response.split('\r\n').filter((line) => /^WWW-Authenticate:/i.test(line));
  return (
    lines.find((line) => /algorithm=MD5\b/i.test(line)) ??
    lines.find((line) => !/algorithm=/i.test(line)) ??
    ''
  );
}

/** What stays the same across one client's REGISTERs: its user, host, Contact, Call-ID and tag. */
export type ClientIdentity = { user: string; host: string; contact: string; callId: string; tag: string };

export function clientIdentity(user: string): ClientIdentity {
  return {
    user,
    host: `${randomBytes(6).toString('hex')}.invalid`,
    contact: randomBytes(4).toString('hex'),
    callId: randomBytes(10).toString('hex'),
    tag: randomBytes(5).toString('hex'),
  };
}

/** A REGISTER as sip.js sends it over a WebSocket, with the Authorization given (or none). */
export function registerRequest(
  client: ClientIdentity,
  domain: string,
  cseq: number,
  authorization: string | null,
): string {
  const { user, host } = client;
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    // Per request from a pool, as the edge takes its own (crypto.randomBytes: 2.3 µs a call).
    `Via: SIP/2.0/WS ${host};branch=z9hG4bK${randomBase64url(6)}`,
    'Max-Forwards: 70',
    `To: <sip:${user}@${domain}>`,
    `From: <sip:${user}@${domain}>;tag=${client.tag}`,
    `Call-ID: ${client.callId}`,
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:${client.contact}@${host};transport=ws>;expires=600`,
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** The Authorization answering a 401's MD5 challenge (qop=auth, nc 1, a fresh cnonce). */
export function digestAnswer(user: string, account: Account, challenge: string): string {
  const { domain } = account;
  const password = typeof account.password === 'string' ? account.password : account.password(user);
  const header = md5Challenge(challenge);
  const nonce = /nonce="([^"]+)"/.exec(header)?.[1] ?? '';
  const realm = /realm="([^"]+)"/.exec(header)?.[1] ?? domain;
  const cnonce = randomBase64url(6);
  const uri = `sip:${domain}`;
  const ha1 = md5(`${user}:${realm}:${password}`);
  const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${md5(`REGISTER:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
}

/** One client on its own WebSocket: registers over and over, answering each 401 challenge. */
export class Registrar {
  readonly #ws: WebSocket;
  readonly #identity: ClientIdentity;
  #cseq = 0;
  #pending: ((status: number, text: string) => void) | null = null;
  readonly #opened: Promise<void>;

  constructor(
    url: string,
    readonly user: string,
    readonly account: Account,
  ) {
    this.#identity = clientIdentity(user);
    this.#ws = new WebSocket(url, 'sip', { perMessageDeflate: false });
    this.#opened = new Promise((resolve, reject) => {
      this.#ws.once('open', () => resolve());
      this.#ws.once('error', reject);
    });
    this.#ws.on('message', (data) => {
      const text = data.toString();
      const status = Number(text.slice(8, 11));
      if (status < 200) return;
      const pending = this.#pending;
      this.#pending = null;
      pending?.(status, text);
    });
    this.#ws.on('error', () => undefined);
    this.#ws.on('close', () => this.#pending?.(0, ''));
  }

  opened(): Promise<void> {
    return this.#opened;
  }

  #send(authorization: string | null): Promise<{ status: number; text: string }> {
    this.#cseq++;
    const text = registerRequest(this.#identity, this.account.domain, this.#cseq, authorization);
    if (this.#ws.readyState !== WebSocket.OPEN) return Promise.resolve({ status: 0, text: '' });
    return new Promise((resolve) => {
      this.#pending = (status, text) => resolve({ status, text });
      this.#ws.send(text);
    });
  }

  /** REGISTER → 401 → REGISTER with the MD5 answer; the final status (0: connection lost). */
  async register(): Promise<number> {
    const challenge = await this.#send(null);
    if (challenge.status !== 401) return challenge.status;
    return (await this.#send(digestAnswer(this.user, this.account, challenge.text))).status;
  }

  close(): void {
    this.#ws.terminate();
  }
}

/** Connects one client per user and registers each once (warms caches and the JIT). */
export async function connectAndRegister(
  url: string,
  users: string[],
  account: Account,
): Promise<Registrar[]> {
  const clients = users.map((user) => new Registrar(url, user, account));
  await Promise.all(clients.map((client) => client.opened()));
  for (const client of clients) await client.register();
  return clients;
}

export type Round = {
  registrations: number;
  failures: number;
  seconds: number;
  latencies: number[];
  /** CPU time this process (the generator) spent, in seconds. */
  generatorCpu: number;
};

/** Every client registers over and over for `seconds`; one registration at a time each. */
export async function registerFor(clients: Registrar[], seconds: number): Promise<Round> {
  const latencies: number[] = [];
  let failures = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await client.register();
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    registrations: latencies.length,
    failures,
    seconds: (performance.now() - started) / 1000,
    latencies,
    generatorCpu: (used.user + used.system) / 1e6,
  };
}

/** Connects and registers one client per user, `batch` at a time; they stay connected. */
export async function registerMany(
  url: string,
  users: string[],
  account: Account,
  batch = 250,
): Promise<{ clients: Registrar[]; registered: number }> {
  const clients: Registrar[] = [];
  let registered = 0;
  for (let i = 0; i < users.length; i += batch) {
    await Promise.all(
      users.slice(i, i + batch).map(async (user) => {
        const client = new Registrar(url, user, account);
        clients.push(client);
        try {
          await client.opened();
          if ((await client.register()) === 200) registered++;
        } catch {
          // counted as not registered
        }
      }),
    );
  }
  return { clients, registered };
}
