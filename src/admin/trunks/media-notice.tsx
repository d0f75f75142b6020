import type { TrunkList } from '../../../contracts/trunks';
import { asSentence } from '../../lib/sentence';

/** Says, above the trunks, that trunk calls have no audio now and what the server says to do. */
export function MediaNotice({ media }: { media: TrunkList['media'] }) {
  if (media.ready) return null;
  return (
    <div className="operator-notice" role="status" aria-label="Media for trunk calls">
      <p>
        <strong>Trunk calls cannot have audio yet.</strong>{' '}
        {media.problem ? asSentence(media.problem) : 'The media bridge (rtpengine) is not running.'}
      </p>
    </div>
  );
}
