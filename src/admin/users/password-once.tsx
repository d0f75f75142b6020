import { useEffect, useRef, useState } from 'react';
import type { User } from '../../../contracts/users';

type PasswordOnceProps = { user: User; password: string; onDone: () => void; what: 'created' | 'reset' };

/** The generated password, shown this once with a copy button; closing forgets it. */
export function PasswordOnce({ user, password, onDone, what }: PasswordOnceProps) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copyRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    copyRef.current?.focus();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div className="password-once">
      <p>
        {what === 'created'
          ? `${user.displayName} (${user.username}, extension ${user.extension}) can sign in with this password:`
          : `${user.displayName}'s new password; they are signed out everywhere and sign in again with it:`}
      </p>
      <p className="password-value">
        <code>{password}</code>
      </p>
      <p className="password-warning">It is shown only now. Copy it and give it to them safely.</p>
      <div className="form-actions">
        <button ref={copyRef} type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy password
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className="copy-status">
        {copied === 'yes' ? 'Copied to the clipboard.' : null}
        {copied === 'failed' ? 'Copying failed: select the password and copy it by hand.' : null}
      </p>
    </div>
  );
}
