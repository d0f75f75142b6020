import { MediaBridgeError, type MediaBridge } from '../../media/media-bridge';

/** An edge built without a media bridge (some tests): trunk calls are refused with `problem`. */
export function noMediaBridge(problem: string): MediaBridge {
  const refuse = () => Promise.reject(new MediaBridgeError(`${problem}.`));
  return {
    start: () => undefined,
    status: () => ({ state: 'off', problem }),
    offer: refuse,
    answer: refuse,
    delete: () => Promise.resolve(),
    list: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
}
