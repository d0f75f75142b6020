export type DeviceOption = { id: string; label: string };
export type AudioDevices = { microphones: DeviceOption[]; speakers: DeviceOption[] };

function options(devices: MediaDeviceInfo[], kind: MediaDeviceKind, fallback: string): DeviceOption[] {
  return devices
    .filter((device) => device.kind === kind && device.deviceId !== '')
    .map((device, index) => ({ id: device.deviceId, label: device.label || `${fallback} ${index + 1}` }));
}

/** Microphones and speakers; labels appear once the page has had microphone access. */
export async function listAudioDevices(): Promise<AudioDevices> {
  if (!navigator.mediaDevices?.enumerateDevices) return { microphones: [], speakers: [] };
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    microphones: options(devices, 'audioinput', 'Microphone'),
    speakers: options(devices, 'audiooutput', 'Speaker'),
  };
}

/** Calls `listener` whenever a headset is plugged in or out. Returns the unsubscribe. */
export function watchAudioDevices(listener: () => void): () => void {
  const mediaDevices = navigator.mediaDevices;
  if (!mediaDevices?.addEventListener) return () => undefined;
  mediaDevices.addEventListener('devicechange', listener);
  return () => mediaDevices.removeEventListener('devicechange', listener);
}

/** Whether audio output can be sent to a chosen speaker (HTMLMediaElement.setSinkId). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}
