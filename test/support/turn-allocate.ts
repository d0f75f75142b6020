import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

// A TURN client just big enough to ask a relay for an allocation over UDP (RFC 8656 with the
// long-term credential mechanism of RFC 8489): what a browser does before it gets a relayed
// candidate. Tests use it to see who the relay lets in.

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  realm: 0x0014,
  nonce: 0x0015,
  requestedTransport: 0x0019,
} as const;

type Attribute = [type: number, value: Buffer];

function encode(type: number, id: Buffer, attributes: Attribute[], integrityKey?: Buffer): Buffer {
  const body = attributes.map(([attributeType, value]) => {
    const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
    padded.writeUInt16BE(attributeType, 0);
    padded.writeUInt16BE(value.length, 2);
    value.copy(padded, 4);
    return padded;
  });
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  id.copy(header, 8);
  const withoutIntegrity = Buffer.concat([header, ...body]);
  if (!integrityKey) {
    withoutIntegrity.writeUInt16BE(withoutIntegrity.length - 20, 2);
    return withoutIntegrity;
  }
  // MESSAGE-INTEGRITY covers the message with the length already counting itself (24 bytes).
  withoutIntegrity.writeUInt16BE(withoutIntegrity.length - 20 + 24, 2);
  const mac = createHmac('sha1', integrityKey).update(withoutIntegrity).digest();
  const attribute = Buffer.alloc(24);
  attribute.writeUInt16BE(ATTR.messageIntegrity, 0);
  attribute.writeUInt16BE(20, 2);
  mac.copy(attribute, 4);
  return Buffer.concat([withoutIntegrity, attribute]);
}

function decode(message: Buffer): { type: number; id: Buffer; attributes: Map<number, Buffer> } {
  const attributes = new Map<number, Buffer>();
  let offset = 20;
  while (offset + 4 <= message.length) {
    const type = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 2);
    attributes.set(type, message.subarray(offset + 4, offset + 4 + length));
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return { type: message.readUInt16BE(0), id: message.subarray(8, 20), attributes };
}

/** One UDP socket for a whole exchange: the relay keeps its nonce per client address and port. */
function udpClient(host: string, port: number, timeoutMs: number) {
  const socket = createSocket('udp4');
  return {
    ask(request: Buffer, id: Buffer): Promise<ReturnType<typeof decode>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.off('message', onMessage);
          reject(new Error(`The relay at ${host}:${port} did not answer within ${timeoutMs} ms.`));
        }, timeoutMs);
        function onMessage(message: Buffer): void {
          const decoded = decode(message);
          if (!decoded.id.equals(id)) return;
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(decoded);
        }
        socket.on('message', onMessage);
        socket.send(request, port, host);
      });
    },
    close: () => socket.close(),
  };
}

/** The outcome of an Allocate: `allocated`, or the error code the relay answered with. */
export type AllocateOutcome = { allocated: true } | { allocated: false; errorCode: number };

/**
 * Asks the relay at `host:port` (UDP) for a UDP allocation as `username`/`password`: first
 * without credentials (the relay answers 401 with its realm and nonce), then with them.
 */
export async function allocate(
  host: string,
  port: number,
  username: string,
  password: string,
  timeoutMs = 2_000,
): Promise<AllocateOutcome> {
  const client = udpClient(host, port, timeoutMs);
  try {
    return await allocateWith(client, username, password);
  } finally {
    client.close();
  }
}

async function allocateWith(
  client: ReturnType<typeof udpClient>,
  username: string,
  password: string,
): Promise<AllocateOutcome> {
  const transport: Attribute = [ATTR.requestedTransport, Buffer.from([17, 0, 0, 0])];
  const firstId = randomBytes(12);
  const challenge = await client.ask(encode(ALLOCATE_REQUEST, firstId, [transport]), firstId);
  if (challenge.type === ALLOCATE_SUCCESS) return { allocated: true };
  const realm = challenge.attributes.get(ATTR.realm);
  const nonce = challenge.attributes.get(ATTR.nonce);
  if (!realm || !nonce) return { allocated: false, errorCode: errorCodeOf(challenge.attributes) };
  const key = createHash('md5')
    .update(`${username}:${realm.toString('utf8')}:${password}`)
    .digest();
  const id = randomBytes(12);
  const request = encode(
    ALLOCATE_REQUEST,
    id,
    [transport, [ATTR.username, Buffer.from(username)], [ATTR.realm, realm], [ATTR.nonce, nonce]],
    key,
  );
  const answer = await client.ask(request, id);
  return answer.type === ALLOCATE_SUCCESS
    ? { allocated: true }
    : { allocated: false, errorCode: errorCodeOf(answer.attributes) };
}

function errorCodeOf(attributes: Map<number, Buffer>): number {
  const value = attributes.get(ATTR.errorCode);
  if (!value || value.length < 4) return 0;
  return (value.readUInt8(2) & 0x07) * 100 + value.readUInt8(3);
}
