import { readFile } from 'node:fs/promises';
import type { Spectrum } from './phone-page';

// What a WAV file holds, judged as the browser tests judge what a page hears: an FFT, per
// frequency the loudest level (dB) and the median noise floor, so `hears` and `audibleTones`
// from phone-page apply to files too (baresip's recordings of what it received).

/** Mono samples in -1..1 and their rate. */
export type Pcm = { rate: number; samples: Float32Array };

/**
 * Reads a PCM WAV (16-bit integer or 32-bit float, any channel count, mixed down to mono). A file
 * still being written (its header's data size not yet filled in) is read to its end.
 */
export async function readWav(file: string): Promise<Pcm> {
  const bytes = await readFile(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error(`${file} is not a WAV file (no RIFF/WAVE header).`);
  let format = 0;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = bytes.readUInt16LE(body);
      channels = bytes.readUInt16LE(body + 2);
      rate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { rate, samples: decode(bytes.subarray(body, end), format, channels, bits, file) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file} has no data chunk.`);
}

function decode(data: Buffer, format: number, channels: number, bits: number, file: string): Float32Array {
  const integer = format === 1 && bits === 16;
  const float = format === 3 && bits === 32;
  if (!(integer || float) || channels < 1)
    throw new Error(`${file} is neither 16-bit PCM nor 32-bit float (format ${format}, ${bits} bits).`);
  const width = bits / 8;
  const frames = Math.floor(data.length / (width * channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i += 1) {
    let sum = 0;
    for (let c = 0; c < channels; c += 1) {
      const at = (i * channels + c) * width;
      sum += integer ? data.readInt16LE(at) / 32768 : data.readFloatLE(at);
    }
    samples[i] = sum / channels;
  }
  return samples;
}

/** In-place radix-2 FFT of `re`/`im` (length a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i += 1) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] ?? 0, re[i] ?? 0];
      [im[i], im[j]] = [im[j] ?? 0, im[i] ?? 0];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k += 1) {
        const a = start + k;
        const b = a + size / 2;
        const cos = Math.cos(step * k);
        const sin = Math.sin(step * k);
        const bRe = (re[b] ?? 0) * cos - (im[b] ?? 0) * sin;
        const bIm = (re[b] ?? 0) * sin + (im[b] ?? 0) * cos;
        re[b] = (re[a] ?? 0) - bRe;
        im[b] = (im[a] ?? 0) - bIm;
        re[a] = (re[a] ?? 0) + bRe;
        im[a] = (im[a] ?? 0) + bIm;
      }
    }
  }
}

const FRAME = 4096;

/**
 * The spectrum of the last `seconds` of `pcm` (all of it when shorter): Hann-windowed 4096-point
 * frames, power averaged over them, in dB. Each asked frequency's level is the loudest of its
 * bin and the two beside it; the floor is the median bin. Silence (or too little audio for one
 * frame) gives levels of -Infinity.
 */
export function pcmSpectrum(pcm: Pcm, frequencies: readonly number[], seconds = 1): Spectrum {
  const from = Math.max(0, pcm.samples.length - Math.round(pcm.rate * seconds));
  const part = pcm.samples.subarray(from);
  const power = new Float64Array(FRAME / 2);
  let frames = 0;
  for (let start = 0; start + FRAME <= part.length; start += FRAME / 2) {
    const re = new Float64Array(FRAME);
    const im = new Float64Array(FRAME);
    for (let i = 0; i < FRAME; i += 1)
      re[i] = (part[start + i] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1)));
    fft(re, im);
    for (let k = 0; k < FRAME / 2; k += 1) power[k] = (power[k] ?? 0) + (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
    frames += 1;
  }
  const db = Array.from(power, (p) => (frames > 0 && p > 0 ? 10 * Math.log10(p / frames) : -Infinity));
  const levels: Record<number, number> = {};
  for (const hz of frequencies) {
    const bin = Math.round((hz / pcm.rate) * FRAME);
    levels[hz] = Math.max(db[bin - 1] ?? -Infinity, db[bin] ?? -Infinity, db[bin + 1] ?? -Infinity);
  }
  const sorted = db.filter(Number.isFinite).sort((a, b) => a - b);
  return { levels, floor: sorted[Math.floor(sorted.length / 2)] ?? -Infinity };
}

/** `pcmSpectrum` of a WAV file. */
export async function wavSpectrum(
  file: string,
  frequencies: readonly number[],
  seconds = 1,
): Promise<Spectrum> {
  return pcmSpectrum(await readWav(file), frequencies, seconds);
}
