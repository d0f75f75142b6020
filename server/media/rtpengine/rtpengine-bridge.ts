import type { Logger } from '../../log';
import { MediaBridgeError } from '../media-bridge';
import type { MediaAnswer, MediaBridge, MediaBridgeStatus, MediaOffer } from '../media-bridge';
import { NgTimeoutError } from './ng-client';
import type { NgClient, NgRequest, NgResponse } from './ng-client';
import { NG_FLAGS_TOWARD } from './ng-flags';
import { cleanSdpForTrunk } from './trunk-sdp';

/** How the bridge reaches rtpengine: one it runs (supervised) or an existing one. */
export interface RtpengineBackend {
  start(): void;
  status(): MediaBridgeStatus;
  /** The ng client once rtpengine answers (starting it if need be); rejects with MediaBridgeError saying why not. */
  ready(): Promise<NgClient>;
  /** A request got no answer in time: the backend may say so in `status()`. */
  unanswered(error: NgTimeoutError): void;
  close(): Promise<void>;
}

/** More calls than one rtpengine here would hold; `list` asks for all of them. */
const LIST_LIMIT = 100_000;

/**
 * The media bridge over rtpengine's ng protocol: offers and answers rewritten with the flag set
 * of the side they go to (NG_FLAGS_TOWARD), WebRTC-only lines removed from SDP toward a trunk.
 */
export class RtpengineBridge implements MediaBridge {
  readonly #backend: RtpengineBackend;
  readonly #log: Logger;

  constructor(backend: RtpengineBackend, log: Logger) {
    this.#backend = backend;
    this.#log = log;
  }

  start(): void {
    this.#backend.start();
  }

  status(): MediaBridgeStatus {
    return this.#backend.status();
  }

  offer(offer: MediaOffer): Promise<string> {
    return this.#rewrite(offer.toward, {
      command: 'offer',
      'call-id': offer.callId,
      'from-tag': offer.fromTag,
      sdp: offer.sdp,
    });
  }

  answer(answer: MediaAnswer): Promise<string> {
    return this.#rewrite(answer.toward, {
      command: 'answer',
      'call-id': answer.callId,
      'from-tag': answer.fromTag,
      'to-tag': answer.toTag,
      sdp: answer.sdp,
    });
  }

  async #rewrite(toward: MediaOffer['toward'], request: NgRequest): Promise<string> {
    const response = await this.#request({ ...request, ...NG_FLAGS_TOWARD[toward] });
    if (typeof response.sdp !== 'string' || !response.sdp.startsWith('v=0'))
      throw new MediaBridgeError(
        `The media bridge (rtpengine) answered '${request.command}' without an SDP.`,
      );
    return toward === 'trunk' ? cleanSdpForTrunk(response.sdp) : response.sdp;
  }

  /**
   * Ends the call's media. Resolves in every case: a call rtpengine no longer holds is what was
   * asked for, and one it could not be told about ends by itself after rtpengine's media timeout
   * (60 s without packets); that case is logged.
   */
  async delete(callId: string): Promise<void> {
    try {
      await this.#request({ command: 'delete', 'call-id': callId });
    } catch (error) {
      this.#log.warn(
        `The media of call ${callId} could not be ended now; rtpengine drops it when it goes silent`,
        error,
      );
    }
  }

  async list(): Promise<string[]> {
    const response = await this.#request({ command: 'list', limit: LIST_LIMIT });
    const calls = response.calls;
    return Array.isArray(calls) ? calls.filter((call): call is string => typeof call === 'string') : [];
  }

  async #request(request: NgRequest): Promise<NgResponse> {
    const ng = await this.#backend.ready();
    try {
      return await ng.request(request);
    } catch (error) {
      if (error instanceof NgTimeoutError) this.#backend.unanswered(error);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#backend.close();
  }
}
