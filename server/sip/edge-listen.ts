import type { Config } from '../config';
import type { EdgeAddress } from './edge-address';
import { LocalAddresses } from './transport/local-address';
import type { TcpTransport } from './transport/tcp-transport';
import type { UdpTransport } from './transport/udp-transport';

/** The UDP and TCP ports the edge listens on (null: that transport is off). */
export interface SipListening {
  udp: number | null;
  tcp: number | null;
}

/**
 * Binds SIP over UDP and TCP on HOST (SIP_UDP_PORT, SIP_TCP_PORT; null: that transport stays off)
 * and tells the edge's address which ports it has. Rejects with a sentence naming the variable
 * when a port cannot be had, with nothing left listening.
 */
export async function listenOnSipPorts(
  config: Config,
  udp: UdpTransport,
  tcp: TcpTransport,
  address: EdgeAddress,
): Promise<SipListening> {
  const listening: SipListening = { udp: null, tcp: null };
  const ownHosts = [config.host, ...LocalAddresses.all()];
  if (config.sipUdpPort !== null) {
    const port = config.sipUdpPort;
    const bound = await udp.listen(port, config.host).catch((error: unknown) => {
      throw listenFailure('SIP_UDP_PORT', port, error);
    });
    listening.udp = bound.port;
    address.listening('udp', bound.port, ownHosts);
  }
  if (config.sipTcpPort !== null) {
    const port = config.sipTcpPort;
    const bound = await tcp.listen(port, config.host).catch(async (error: unknown) => {
      await udp.close();
      throw listenFailure('SIP_TCP_PORT', port, error);
    });
    listening.tcp = bound.port;
    address.listening('tcp', bound.port, ownHosts);
  }
  return listening;
}

/** Why a port could not be listened on, as a sentence naming the variable that sets it. */
function listenFailure(variable: string, port: number, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const off = `or ${variable}=0 to turn it off`;
  if (code === 'EADDRINUSE') {
    return new Error(
      `${variable} ${port} is in use by another program; set ${variable} to a free port, ${off}.`,
    );
  }
  if (code === 'EACCES') {
    return new Error(
      `${variable} ${port} needs privileges this process lacks; choose a port above 1023, ${off}.`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`${variable} ${port} could not be listened on (${reason}); ${off}.`);
}
