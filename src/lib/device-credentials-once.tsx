import { useEffect, useRef, useState } from 'react';
import type { DeviceCredentials } from '../../contracts/devices';

type DeviceCredentialsOnceProps = {
  /** The desk phone's name, as given when it was added. */
  deviceName: string;
  credentials: DeviceCredentials;
  onDone: () => void;
};

/** `spoken`: the label inside a sentence ("Copy the password"). */
type Row = { label: string; spoken: string; value: string };

function rowsOf(credentials: DeviceCredentials): Row[] {
  const { server } = credentials;
  const rows: Row[] = [
    { label: 'Username', spoken: 'username', value: credentials.username },
    { label: 'Password', spoken: 'password', value: credentials.password },
    { label: 'Domain', spoken: 'domain', value: credentials.domain },
    { label: 'Server', spoken: 'server', value: server.host },
  ];
  if (server.udpPort !== null)
    rows.push({ label: 'UDP port', spoken: 'UDP port', value: String(server.udpPort) });
  if (server.tcpPort !== null)
    rows.push({ label: 'TCP port', spoken: 'TCP port', value: String(server.tcpPort) });
  return rows;
}

/**
 * A new desk phone's credentials, shown this once with a copy button each: the server keeps only
 * digests of the password, so closing forgets it for good.
 */
export function DeviceCredentialsOnce({ deviceName, credentials, onDone }: DeviceCredentialsOnceProps) {
  const [copied, setCopied] = useState<{ row: Row; ok: boolean } | null>(null);
  const firstCopyRef = useRef<HTMLButtonElement>(null);
  const rows = rowsOf(credentials);
  const { server } = credentials;

  useEffect(() => {
    firstCopyRef.current?.focus();
  }, []);

  async function copy(row: Row) {
    try {
      await navigator.clipboard.writeText(row.value);
      setCopied({ row, ok: true });
    } catch {
      setCopied({ row, ok: false });
    }
  }

  return (
    <div className="password-once device-credentials">
      <p>Set up {deviceName} with these settings; it registers to the server as this user’s desk phone:</p>
      <dl className="credential-list">
        {rows.map((row, index) => (
          <div key={row.label} className="credential-row">
            <dt>{row.label}</dt>
            <dd>
              <code>{row.value}</code>
              <button
                ref={index === 0 ? firstCopyRef : undefined}
                type="button"
                className="button button-secondary button-small"
                aria-label={`Copy ${row.spoken}`}
                onClick={() => void copy(row)}
              >
                Copy
              </button>
            </dd>
          </div>
        ))}
      </dl>
      {server.udpPort === null && server.tcpPort === null ? (
        <p>
          SIP over UDP and TCP is turned off on this server, so a desk phone cannot register until an admin
          turns one on.
        </p>
      ) : null}
      <p className="password-warning">
        These credentials are shown only now and never again. Copy them into the phone’s settings; if they are
        lost, remove the phone and add it again for new ones.
      </p>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className="copy-status">
        {copied?.ok ? `${copied.row.label} copied to the clipboard.` : null}
        {copied && !copied.ok ? `Copying failed: select the ${copied.row.spoken} and copy it by hand.` : null}
      </p>
    </div>
  );
}
