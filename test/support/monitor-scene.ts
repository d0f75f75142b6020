import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { phone, untilHearsExactly, waitForStatus } from './phone-page';
import type { Agent } from './phone-page';

/** The people of a monitoring test: the customer (agent2) calls agent1; the operator monitors. */
export type Person = 'agent2' | 'agent1' | 'operator';

/** Each person's extension, as their phone's status line names it once registered. */
const EXTENSION: Record<Person, number> = { agent1: 1001, agent2: 1002, operator: 1004 };

/** What each person hears while the operator listens: the two parties, and not the operator. */
export function listening(tone: Record<Person, number>): Record<Person, number[]> {
  return { operator: [tone.agent2, tone.agent1], agent1: [tone.agent2], agent2: [tone.agent1] };
}

/**
 * Three browsers, each speaking its own tone (`tone`), and the operator's console: the pages,
 * the monitor panel's parts, and what each person hears.
 */
export class MonitorScene {
  readonly people: Partial<Record<Person, Agent>> = {};
  /** The three tones, the customer's first. */
  readonly tones: readonly number[];

  constructor(readonly tone: Record<Person, number>) {
    this.tones = [tone.agent2, tone.agent1, tone.operator];
  }

  page(name: Person): Page {
    const found = this.people[name]?.page;
    if (!found) throw new Error(`${name} did not start`);
    return found;
  }

  /** Waits until each of the three phones says it is registered (first, or again after a move). */
  async untilRegistered(timeoutMs?: number): Promise<void> {
    for (const name of Object.keys(EXTENSION) as Person[]) {
      await waitForStatus(this.page(name), new RegExp(`^Registered as ${EXTENSION[name]}`), timeoutMs);
    }
  }

  /** The operator's console. */
  panel(): Locator {
    return this.page('operator').getByRole('complementary', { name: 'Console' });
  }

  /** agent1's row in the operator's panel. */
  agentRow(): Locator {
    return this.panel().getByRole('row', { name: /^Agent One/ });
  }

  /** The status line of the operator's monitor session. */
  sessionStatus(): Locator {
    return this.panel().getByRole('region', { name: 'Monitor session' }).getByRole('status');
  }

  /** Each person hears exactly the tones `expected` names for them (by FFT against the noise floor). */
  async expectHearing(expected: Record<Person, number[]>): Promise<void> {
    await Promise.all(
      (Object.keys(expected) as Person[]).map((name) =>
        untilHearsExactly(this.page(name), this.tones, expected[name]),
      ),
    );
  }

  /** The customer dials agent1's extension, agent1 answers, and the operator's panel shows the call. */
  async customerCallsAgent1(timeoutMs = 10_000): Promise<void> {
    await phone(this.page('agent2')).getByLabel('Number or username').fill('1001');
    await phone(this.page('agent2')).getByLabel('Number or username').press('Enter');
    await phone(this.page('agent1'))
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await expect
      .poll(() => this.agentRow().textContent(), { timeout: timeoutMs })
      .toMatch(/On a call with Agent Two \(1002\)/);
  }
}
