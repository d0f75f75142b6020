import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderAs, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { deviceName } from './device-name';
import { SeatsScreen } from './seats-screen';

const seatsOf = (profile: string) => within(screen.getByRole('region', { name: `Seats of ${profile}` }));

describe('seats screen', () => {
  it('shows who is signed in on each profile, since when and on what', async () => {
    renderAs('supervisor', () => <SeatsScreen />);
    expect(await screen.findByText('2 phones are signed in.')).toBeInTheDocument();
    const agents = seatsOf('agents');
    expect(agents.getByRole('heading')).toHaveTextContent('agents 1 of 50 signed in');
    expect(agents.getByRole('rowheader')).toHaveTextContent('Agent One (agent1 · 1001)');
    expect(agents.getByText('Chrome 131 on Linux')).toBeInTheDocument();
    expect(agents.getByText(/10\.0\.0\.21/)).toBeInTheDocument();
    expect(agents.getByRole('cell', { name: /2026/ }).querySelector('time')).toHaveAttribute(
      'datetime',
      '2026-11-23T08:55:00.000Z',
    );
    expect(seatsOf('supervisors').getByText('Nobody is signed in on supervisors.')).toBeInTheDocument();
  });

  it('signs a seat out', async () => {
    const { user } = renderAs('supervisor', () => <SeatsScreen />);
    await user.click(await screen.findByRole('button', { name: 'Sign out Agent One' }));
    expect(await seatsOf('agents').findByText('Nobody is signed in on agents.')).toBeInTheDocument();
    expect(toasts().getByText('Agent One is signed out of the phone on that device.')).toBeInTheDocument();
  });

  it('says why a sign-out failed', async () => {
    server.use(
      http.delete('/api/seats/:id', () =>
        apiError(404, { code: 'not_found', message: 'That registration has already ended.' }),
      ),
    );
    const { user } = renderAs('admin', () => <SeatsScreen />);
    await user.click(await screen.findByRole('button', { name: 'Sign out Agent One' }));
    expect(
      await toasts().findByText('Could not sign out Agent One: That registration has already ended.'),
    ).toBeInTheDocument();
  });

  it('shows the media relay’s state when there is one, nothing when there is none', async () => {
    renderAs('supervisor', () => <SeatsScreen />);
    await screen.findByText('2 phones are signed in.');
    expect(screen.queryByRole('status', { name: 'Media relay' })).toBeNull();

    server.use(
      http.get('/api/relay', () =>
        HttpResponse.json({
          mode: 'spawn',
          state: 'restarting',
          urls: ['turn:pbx.example.com:3478?transport=udp'],
          iceTransportPolicy: 'relay',
          since: '2026-11-23T08:55:00.000Z',
          restarts: 2,
          problem: 'The relay (coturn) exited (code 1).',
        }),
      ),
    );
    renderAs('supervisor', () => <SeatsScreen />);
    expect(await screen.findByRole('status', { name: 'Media relay' })).toHaveTextContent(
      /^Media relay \(coturn on this server\): restarting since .*2026.*, restarted 2 times; phones use the relay only\. The relay \(coturn\) exited \(code 1\)\.$/,
    );
  });

  it('reads device names from browser and SIP user agents', () => {
    expect(deviceName(null)).toBe('Unknown device');
    expect(
      deviceName(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      ),
    ).toBe('Safari 17 on macOS');
    expect(deviceName('SIP.js/0.21.2')).toBe('SIP.js/0.21.2');
  });

  it('is free of serious accessibility problems', async () => {
    const { container } = renderAs('supervisor', () => <SeatsScreen />);
    await screen.findByText('2 phones are signed in.');
    await waitFor(async () => expect(await seriousAxeViolations(container)).toEqual([]));
  });
});
