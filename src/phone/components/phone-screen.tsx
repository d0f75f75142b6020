import type { RecordingMode } from '../../../contracts/recordings';
import type { Flag } from '../../../contracts/profiles';
import { useEffect, useState } from 'react';
import { flagLabels } from '../../lib/flag-labels';
import { AgentStateControl } from '../agent-state/agent-state-control';
import { MyDevicesPanel } from '../devices/my-devices-panel';
import { dialFromAddress, forgetDialInAddress, offerCallLinkHandlerOnce } from '../click-to-call';
import { useActiveCall, useCalls } from '../phone-store-context';
import { CallState } from '../sip/phone-state';
import { ActiveCall } from './active-call';
import { CallHistory } from './call-history';
import { CallSwitcher } from './call-switcher';
import { DeviceSettings } from './device-settings';
import { Dialer } from './dialer';
import { EndedCallLine } from './ended-call-line';
import { IncomingCalls } from './incoming-calls';
import { KeypadToneSetting } from './keypad-tone-setting';
import { MonitorSessionLine } from './monitor-session-line';
import { SoundBlockedPrompt } from './sound-blocked-prompt';
import { StatusLine } from './status-line';
import { useNotificationPermissionOnce } from './use-notification-permission';

export type PhoneScreenProps = {
  userId: number;
  extension: string;
  /** The user's SIP profile; without one the phone cannot sign in. */
  profile: {
    name: string;
    flags: readonly Flag[];
    monitorNotice?: boolean;
    recording?: RecordingMode;
  } | null;
};

/** The softphone screen, reading the phone store only (no sip.js here). */
export function PhoneScreen({ userId, extension, profile }: PhoneScreenProps) {
  const calls = useCalls();
  const active = useActiveCall();
  const askForNotifications = useNotificationPermissionOnce();
  // `?dial=` (a tel: or sip: link the browser handed to the phone): the number is ready to call.
  const [linkTarget] = useState(dialFromAddress);
  useEffect(forgetDialInAddress, []);
  const flags = profile?.flags ?? [];
  const canCall = flags.includes('call');
  const firstInteraction = () => {
    askForNotifications();
    if (canCall) offerCallLinkHandlerOnce();
  };
  const canTransfer = flags.includes('transfer');
  const inCall = calls.some((call) => call.state !== CallState.Incoming);
  const activeShown = active && active.state !== CallState.Incoming ? active : undefined;

  return (
    <div className="phone-panel" onPointerDownCapture={firstInteraction} onKeyDownCapture={firstInteraction}>
      <h2 id="phone-heading">Phone</h2>
      <dl className="phone-facts">
        <div>
          <dt>Extension</dt>
          <dd className="phone-extension">{extension}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusLine extension={extension} hasProfile={profile !== null} />
          </dd>
        </div>
      </dl>
      {profile ? null : (
        <p className="phone-warning">
          You have no SIP profile, so the phone cannot sign in. Ask a supervisor or an admin to give you one.
        </p>
      )}
      {profile ? <SoundBlockedPrompt /> : null}
      {profile ? <AgentStateControl /> : null}
      <MonitorSessionLine />
      <IncomingCalls />
      <CallSwitcher />
      {activeShown ? (
        <ActiveCall
          call={activeShown}
          otherCalls={calls.filter((call) => call.id !== activeShown.id && call.state !== CallState.Incoming)}
          canTransfer={canTransfer}
          profileName={profile?.name ?? null}
          monitorNotice={profile?.monitorNotice ?? false}
          recordingMode={profile?.recording ?? 'off'}
        />
      ) : null}
      <EndedCallLine />
      {profile ? (
        <Dialer canCall={canCall} profileName={profile.name} secondCall={inCall} initialTarget={linkTarget} />
      ) : null}
      {profile ? <DeviceSettings /> : null}
      {profile ? <KeypadToneSetting /> : null}
      {profile ? <MyDevicesPanel /> : null}
      <CallHistory userId={userId} canCall={canCall} />
      {profile ? (
        <div className="phone-features">
          <h3>
            Features on <span className="profile-name">{profile.name}</span>
          </h3>
          {profile.flags.length > 0 ? (
            <ul className="feature-list">
              {profile.flags.map((flag) => (
                <li key={flag}>{flagLabels[flag]}</li>
              ))}
            </ul>
          ) : (
            <p>This profile has no telephony features.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
