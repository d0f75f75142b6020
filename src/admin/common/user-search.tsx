import { useQuery } from '@tanstack/react-query';

import type { User } from '../../../contracts/users';
import { TextField } from '../../lib/text-field';
import { failureMessage } from '../../lib/toast-provider';
import { useDebouncedState } from '../../lib/use-debounced-value';
import { userSearchQuery } from './user-search-query';

type UserSearchProps = {
  label: string;
  /** The button's words for a found user, e.g. "Add". */
  actionLabel: string;
  onPick: (user: User) => void;
  /** Shown as already chosen instead of with a button. */
  isChosen?: (user: User) => boolean;
  chosenLabel?: string;
};

/** Finds users on the server as you type and offers a button for each. */
export function UserSearch({
  label,
  actionLabel,
  onPick,
  isChosen,
  chosenLabel = 'Chosen',
}: UserSearchProps) {
  const [text, settledText, setText] = useDebouncedState('', 200);
  const q = settledText.trim();
  const found = useQuery(userSearchQuery(q));
  const results = q ? (found.data?.items ?? []) : [];

  return (
    <div className="user-search">
      <TextField
        label={label}
        type="search"
        hint="Name, username or extension."
        maxLength={100}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <div role="status" className="search-status">
        {q && found.isError ? `Searching failed: ${failureMessage(found.error)}` : null}
        {q && found.isSuccess && !found.isPlaceholderData && results.length === 0
          ? `Nobody matches “${q}”.`
          : null}
      </div>
      {results.length > 0 ? (
        <ul className="search-results" aria-label={`Users matching ${q}`}>
          {results.map((user) => (
            <li key={user.id}>
              <span className="search-result-name">
                {user.displayName}{' '}
                <span className="muted">
                  ({user.username} · {user.extension})
                </span>
              </span>
              {isChosen?.(user) ? (
                <span className="muted">{chosenLabel}</span>
              ) : (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={`${actionLabel} ${user.displayName}`}
                  onClick={() => onPick(user)}
                >
                  {actionLabel}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
