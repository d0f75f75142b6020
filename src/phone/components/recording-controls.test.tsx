import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { RecordingMode } from '../../../contracts/recordings';
import { fakePhoneCommands } from '../../testing/fake-phone-commands';
import { server } from '../../testing/msw-server';
import { renderWithProviders } from '../../testing/render';
import { CallRecordings, RECORDING_BEHIND } from '../call-recordings';
import { FakeAudioContext } from '../media/fake-audio-graph';
import { FakeMediaRecorder, FakeMediaStream } from '../media/fake-media-recorder';
import { createPhoneStore } from '../phone-store';
import { PhoneStoreProvider } from '../phone-store-context';
import type { CallInfo } from '../sip/call-info';
import type { CallMedia } from '../sip/session-media';
import { CallState } from '../sip/phone-state';
import { PhoneScreen } from './phone-screen';

// The recording on the call screen, with the phone's real recordings (CallRecordings, its
// uploader and its API calls, answered by msw) behind the store; only what jsdom lacks is
// fake: the audio graph and MediaRecorder, which hands out a chunk a second.

const SIP_CALL_ID = 'a84b4c76e66710@agent1';

function established(): CallInfo {
  return {
    id: 'call-1',
    direction: 'incoming',
    state: CallState.Established,
    peerName: 'Agent Two',
    peerNumber: '1002',
    held: false,
    muted: false,
    startedAt: Date.now() - 5_000,
    answeredAt: Date.now(),
    endReason: null,
    transferring: false,
    replacesCallId: null,
    sipCallId: SIP_CALL_ID,
  };
}

type Sent = { method: string; path: string; body: unknown };

/** The recording requests the phone sends, in order, with their bodies (JSON, or a chunk as text). */
function watchRequests(): Sent[] {
  const sent: Sent[] = [];
  const listener = ({ request }: { request: Request }) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith('/api/recordings')) return;
    const entry: Sent = { method: request.method, path, body: undefined };
    sent.push(entry);
    const type = request.headers.get('content-type');
    if (type === 'application/json')
      void request
        .clone()
        .json()
        .then((body: unknown) => {
          entry.body = body;
        });
    else if (type === 'application/octet-stream')
      void request
        .clone()
        .text()
        .then((body) => {
          entry.body = body;
        });
  };
  server.events.on('request:start', listener);
  onTestFinished(() => {
    server.events.removeListener('request:start', listener);
  });
  return sent;
}

function renderRecordingPhone(mode: RecordingMode) {
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder);
  vi.stubGlobal('MediaStream', FakeMediaStream);
  const store = createPhoneStore({ registration: { status: 'registered' } });
  const actions = store.getState().actions;
  const context = new FakeAudioContext();
  const recordings = new CallRecordings({
    mode,
    notice: false,
    context: () => context.asContext(),
    addToSend: () => null,
    changed: (callId, view) => actions.recordingChanged(callId, view),
    tell: (sentence) => actions.noticeRaised(sentence),
  });
  const media: CallMedia = {
    peerConnection: { getSenders: () => [{ track: { kind: 'audio' } }] } as unknown as RTCPeerConnection,
    remoteStream: new FakeMediaStream() as unknown as MediaStream,
  };
  // The phone controller's recording commands, as it wires them to its CallRecordings.
  actions.phoneAttached({
    ...fakePhoneCommands(),
    startRecording: (callId) => void recordings.start(callId, SIP_CALL_ID, media),
    stopRecording: (callId) => void recordings.stop(callId),
    setRecordingPaused: (callId, paused) => void recordings.setPaused(callId, paused),
  });
  onTestFinished(() => recordings.stopAll());
  const rendered = renderWithProviders(
    <PhoneStoreProvider store={store}>
      <PhoneScreen
        userId={1}
        extension="1001"
        profile={{ name: 'agents', flags: ['call', 'transfer'], recording: mode }}
      />
    </PhoneStoreProvider>,
  );
  /** The call is answered and has its media: what the controller tells its recordings then. */
  const answer = () => {
    act(() => actions.callChanged(established()));
    recordings.answered('call-1', SIP_CALL_ID, media);
  };
  const controls = () => within(screen.getByRole('group', { name: 'Recording' }));
  return { ...rendered, answer, controls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('recording on the call screen', () => {
  it('always: says "Recording" from the answer, with Pause and no way to stop it', async () => {
    const sent = watchRequests();
    const { answer, controls } = renderRecordingPhone('always');
    answer();
    await waitFor(() => expect(controls().getByRole('status')).toHaveTextContent(/^Recording$/));
    expect(sent[0]).toEqual({ method: 'POST', path: '/api/recordings', body: { callId: SIP_CALL_ID } });
    expect(controls().getByRole('button', { name: 'Pause recording' })).toBeInTheDocument();
    expect(controls().queryByRole('button', { name: 'Stop recording' })).not.toBeInTheDocument();
    expect(controls().queryByRole('button', { name: 'Record' })).not.toBeInTheDocument();
    // A chunk a second goes up under its sequence number.
    await waitFor(
      () =>
        expect(sent.find((r) => r.method === 'PUT')).toEqual({
          method: 'PUT',
          path: expect.stringMatching(/^\/api\/recordings\/[0-9a-f-]+\/chunks\/0$/) as string,
          body: 'opus chunk 0',
        }),
      { timeout: 3_000 },
    );
  });

  it('always: stopping is not offered while paused either', async () => {
    const { answer, controls, user } = renderRecordingPhone('always');
    answer();
    await user.click(await controls().findByRole('button', { name: 'Pause recording' }));
    expect(controls().getByRole('status')).toHaveTextContent('Recording paused');
    expect(controls().queryByRole('button', { name: /Stop/ })).not.toBeInTheDocument();
  });

  it('on demand: nothing is recorded until Record; Stop recording ends it and finishes the file', async () => {
    const sent = watchRequests();
    const { answer, controls, user } = renderRecordingPhone('on_demand');
    answer();
    expect(controls().queryByRole('status')).not.toBeInTheDocument();
    expect(sent).toEqual([]);
    await user.click(controls().getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(controls().getByRole('status')).toHaveTextContent(/^Recording$/));
    expect(sent[0]?.path).toBe('/api/recordings');

    await user.click(controls().getByRole('button', { name: 'Stop recording' }));
    expect(controls().queryByRole('status')).not.toBeInTheDocument();
    expect(controls().getByRole('button', { name: 'Record' })).toBeInTheDocument();
    await waitFor(() => expect(sent.at(-1)?.path).toMatch(/^\/api\/recordings\/[0-9a-f-]+\/finish$/));
    // The last chunk went up before the finish.
    expect(sent.some((r) => r.method === 'PUT')).toBe(true);
  });

  it('Pause and Resume toggle "Recording paused" and note each on the recording', async () => {
    const sent = watchRequests();
    const { answer, controls, user } = renderRecordingPhone('on_demand');
    answer();
    await user.click(controls().getByRole('button', { name: 'Record' }));
    const pause = await controls().findByRole('button', { name: 'Pause recording' });
    expect(pause).toHaveAttribute('aria-pressed', 'false');

    await user.click(pause);
    expect(controls().getByRole('status')).toHaveTextContent(/^Recording paused$/);
    const resume = controls().getByRole('button', { name: 'Resume recording' });
    expect(resume).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(sent.filter((r) => r.path.endsWith('/marks'))).toHaveLength(1));

    await user.click(resume);
    expect(controls().getByRole('status')).toHaveTextContent(/^Recording$/);
    await waitFor(() => expect(sent.filter((r) => r.path.endsWith('/marks'))).toHaveLength(2));
    const marks = sent.filter((r) => r.path.endsWith('/marks')).map((r) => r.body);
    expect(marks).toEqual([
      { kind: 'pause', offsetMs: expect.any(Number) as number },
      { kind: 'resume', offsetMs: expect.any(Number) as number },
    ]);
  });

  it('says so in a sentence when the chunks have not reached the server for 5 s, not before', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    server.use(
      http.put('/api/recordings/:id/chunks/:seq', () =>
        HttpResponse.json(
          { error: { code: 'unavailable', message: 'The server is restarting.' } },
          { status: 503 },
        ),
      ),
    );
    const { answer, controls } = renderRecordingPhone('always');
    answer();
    await waitFor(() => expect(controls().getByRole('status')).toHaveTextContent(/^Recording$/));
    // The first chunk fails at 1 s; 3 s of retrying later nothing is said yet.
    await act(() => vi.advanceTimersByTimeAsync(4_000));
    expect(screen.queryByText(RECORDING_BEHIND)).not.toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(6_000));
    expect(screen.getByRole('alert')).toHaveTextContent(RECORDING_BEHIND);
    // The recording itself goes on, and what was held back goes up once the server answers again.
    expect(controls().getByRole('status')).toHaveTextContent(/^Recording$/);
    const sent = watchRequests();
    server.resetHandlers();
    await act(() => vi.advanceTimersByTimeAsync(9_000));
    const uploaded = sent.filter((r) => r.method === 'PUT').map((r) => Number(r.path.split('/').at(-1)));
    expect(uploaded.slice(0, 3)).toEqual([0, 1, 2]);
  });
});
