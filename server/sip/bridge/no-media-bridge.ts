import type { MediaBridge } from '../../media/media-bridge';
import { offBridge } from '../../media/create-media-bridge';

/** An edge built without a media bridge (some tests): trunk calls are refused with `problem`, as with rtpengine off. */
export function noMediaBridge(problem: string): MediaBridge {
  return offBridge(problem);
}
