import { Registerer, SIPExtension, UserAgent } from 'sip.js/lib/api/index.js';
import type { Invitation } from 'sip.js/lib/api/index.js';
import { MIX_FEATURE_TAG } from '../../../contracts/monitor-header';
import type { SipCredentials } from '../../../contracts/sip';
import { EdgeTransport } from './edge-transport';
import { mediaOptions, webSessionDescriptionHandlerFactory } from './media-options';
import { PermanentPhoneFailure, RegistrationRefused } from './phone-failures';
import type { PhoneUserAgentOptions } from './phone-user-agent-options';

/** What the user agent reports to the connection that owns it. */
export type UserAgentEvents = {
  /** The WebSocket closed without being asked to. */
  disconnected(): void;
  invited(invitation: Invitation): void;
};

/**
 * sip.js's user agent for this phone: its address and short-lived credentials, a transport that
 * can move to another edge (first to `server`), WebRTC audio with the relay the credentials name
 * (`iceServers` is read at each new session: it is renewed with them), Replaces supported, and no
 * automatic 180 (calls ring by themselves; monitor sessions are answered silently).
 */
export function createSipUserAgent(
  credentials: SipCredentials,
  server: string,
  options: PhoneUserAgentOptions,
  iceServers: () => SipCredentials['iceServers'],
  events: UserAgentEvents,
): UserAgent {
  const uri = UserAgent.makeURI(credentials.aor);
  if (!uri)
    throw new PermanentPhoneFailure(`The server gave an address this phone cannot use (${credentials.aor}).`);
  return new UserAgent({
    uri,
    displayName: credentials.displayName,
    authorizationUsername: credentials.username,
    authorizationPassword: credentials.password,
    transportOptions: { server, connectionTimeout: 5 },
    transportConstructor: options.transportConstructor ?? EdgeTransport,
    sessionDescriptionHandlerFactory:
      options.sessionDescriptionHandlerFactory ??
      webSessionDescriptionHandlerFactory(options.localMedia, iceServers),
    sessionDescriptionHandlerFactoryOptions: mediaOptions(credentials),
    sipExtensionReplaces: SIPExtension.Supported,
    // Sent by onInvite for calls only: a monitor session is answered without ringing.
    sendInitialProvisionalResponse: false,
    logBuiltinEnabled: false,
    logLevel: 'error',
    userAgentString: 'Switchboard softphone (sip.js 0.21)',
    delegate: {
      onDisconnect: () => events.disconnected(),
      onInvite: (invitation) => events.invited(invitation),
    },
  });
}

/** The phone's registerer: `expires` seconds, saying in its Contact that it can mix monitor sessions. */
export function createRegisterer(userAgent: UserAgent, expires: number): Registerer {
  return new Registerer(userAgent, {
    expires,
    // The edge forwards monitor sessions only to phones that say so.
    extraContactHeaderParams: [MIX_FEATURE_TAG],
  });
}

/** Sends one REGISTER; resolves when accepted, rejects with RegistrationRefused when refused. */
export function registerOnce(registerer: Registerer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    registerer
      .register({
        requestDelegate: {
          onAccept: () => resolve(),
          onReject: (response) =>
            reject(
              new RegistrationRefused(response.message.statusCode ?? 0, response.message.reasonPhrase ?? ''),
            ),
        },
      })
      .catch(reject);
  });
}
