import { render } from '@testing-library/react';
import type { RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { AppProviders } from '../app/app-providers';
import { createQueryClient } from '../app/query-client';

/** Renders with the app's providers and a fresh QueryClient that does not retry. */
export function renderWithProviders(ui: ReactElement, options?: Omit<RenderOptions, 'wrapper'>) {
  const queryClient = createQueryClient({ retry: false });
  const user = userEvent.setup();
  const result = render(<AppProviders queryClient={queryClient}>{ui}</AppProviders>, options);
  return { ...result, user, queryClient };
}
