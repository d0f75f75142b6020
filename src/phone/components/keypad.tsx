import { dtmfTones } from '../sip/dtmf-relay';
import type { DtmfTone } from '../sip/dtmf-relay';

const letters: Partial<Record<DtmfTone, string>> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
};

type KeypadProps = {
  /** Names the group for screen readers, e.g. "Dial pad". */
  label: string;
  onPress: (tone: DtmfTone) => void;
  disabled?: boolean;
};

/** The twelve phone keys. */
export function Keypad({ label, onPress, disabled = false }: KeypadProps) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {dtmfTones.map((tone) => (
        <button
          key={tone}
          type="button"
          className="keypad-key"
          disabled={disabled}
          onClick={() => onPress(tone)}
        >
          <span className="keypad-digit">{tone}</span>
          <span className="keypad-letters" aria-hidden="true">
            {letters[tone] ?? '\u00a0'}
          </span>
        </button>
      ))}
    </div>
  );
}
