import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../testing/msw-server';
import { RecordingRefused, startRecording } from './recording-upload';

const notAnswered = () =>
  HttpResponse.json(
    { error: { code: 'conflict', message: 'The call has not been answered yet; record it once it is.' } },
    { status: 409 },
  );

describe('startRecording', () => {
  it('tries again while the edge has not yet seen the answer this phone sent', async () => {
    let asked = 0;
    server.use(
      http.post('/api/recordings', async ({ request }) => {
        asked += 1;
        if (asked < 3) return notAnswered();
        const { callId } = (await request.json()) as { callId: string };
        return HttpResponse.json({ id: 'rec-1', callId, state: 'recording' });
      }),
    );
    const recording = await startRecording('call-1');
    expect(recording).toMatchObject({ id: 'rec-1', callId: 'call-1' });
    expect(asked).toBe(3);
  });

  it('gives up with the server’s sentence when the call stays unanswered', async () => {
    let asked = 0;
    server.use(
      http.post('/api/recordings', () => {
        asked += 1;
        return notAnswered();
      }),
    );
    const refused = await startRecording('call-1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RecordingRefused);
    expect((refused as RecordingRefused).message).toBe(
      'The call has not been answered yet; record it once it is.',
    );
    // About 3 s of tries, 150 ms apart.
    expect(asked).toBeGreaterThan(5);
  });

  it('does not try again what the server refuses for good (403)', async () => {
    let asked = 0;
    server.use(
      http.post('/api/recordings', () => {
        asked += 1;
        return HttpResponse.json(
          { error: { code: 'forbidden', message: 'Your profile does not record calls.' } },
          { status: 403 },
        );
      }),
    );
    await expect(startRecording('call-1')).rejects.toThrow('Your profile does not record calls.');
    expect(asked).toBe(1);
  });
});
