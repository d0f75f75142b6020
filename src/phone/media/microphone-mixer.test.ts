import { describe, expect, it, vi } from 'vitest';
import { FakeAudioContext, reaches } from './fake-audio-graph';
import { MicrophoneMixer } from './microphone-mixer';

function owner() {
  const sender = { track: { kind: 'audio' }, replaceTrack: vi.fn(() => Promise.resolve()) };
  const peerConnection = { getSenders: () => [sender] } as unknown as RTCPeerConnection;
  return { peerConnection, sender };
}

function destinationOf(context: FakeAudioContext, stream: MediaStream) {
  return context.nodes.find((node) => (node as unknown as { stream?: MediaStream }).stream === stream);
}

describe('MicrophoneMixer: more sound in one session’s send path', () => {
  it('mixes a node into one session only, keeps it across a microphone change, and takes it out', async () => {
    const context = new FakeAudioContext();
    const mixer = new MicrophoneMixer({
      context: () => context.asContext(),
      source: { kind: 'tone', hz: 440 },
    });
    const monitored = owner();
    const other = owner();
    const monitoredStream = await mixer.acquire(monitored);
    const otherStream = await mixer.acquire(other);
    const extra = context.createGain();

    const remove = mixer.addToSend(monitored.peerConnection, extra);
    expect(remove).not.toBeNull();
    expect(reaches(extra, destinationOf(context, monitoredStream))).toBe(true);
    expect(reaches(extra, destinationOf(context, otherStream))).toBe(false);

    await mixer.switchMicrophone('usb-headset');
    expect(monitored.sender.replaceTrack).toHaveBeenCalledTimes(1);
    const sending = context.nodes.filter((node) => node.kind === 'destination' && reaches(extra, node));
    expect(sending).toHaveLength(1);
    expect(reaches(extra, destinationOf(context, monitoredStream))).toBe(false);

    remove?.();
    expect(context.nodes.some((node) => node.kind === 'destination' && reaches(extra, node))).toBe(false);
    expect(mixer.addToSend({} as RTCPeerConnection, extra)).toBeNull();
    mixer.dispose();
  });
});
