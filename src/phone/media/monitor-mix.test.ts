import { describe, expect, it } from 'vitest';
import type { MonitorMode } from '../../../contracts/monitor';
import { FakeAudioContext, reaches } from './fake-audio-graph';
import { MonitorMix } from './monitor-mix';
import type { SendInput } from './monitor-mix';

// The agent's side of monitoring, on a fake audio graph: which voice reaches which send path, and
// whether the operator's <audio> element is heard, per mode.

function setUp(mode: MonitorMode) {
  const context = new FakeAudioContext();
  const customer = { id: 'customer' } as unknown as MediaStream;
  const operator = { id: 'operator' } as unknown as MediaStream;
  // The two sessions' send paths, as the microphone mixer has them.
  const toOperatorPath = context.createMediaStreamDestination();
  const toCustomerPath = context.createMediaStreamDestination();
  const input =
    (path: AudioNode): SendInput =>
    (node) => {
      node.connect(path);
      return () => node.disconnect(path);
    };
  const audible: boolean[] = [];
  const mix = new MonitorMix(
    {
      context: context.asContext(),
      customer,
      operator,
      toOperator: input(toOperatorPath),
      toCustomer: input(toCustomerPath),
      playOperatorToAgent: (on) => audible.push(on),
    },
    mode,
  );
  const customerVoice = context.sourceOf(customer);
  const operatorVoice = context.sourceOf(operator);
  return {
    mix,
    audible,
    /** What each party gets from the mix. */
    heard: () => ({
      operatorGetsCustomer: reaches(customerVoice, toOperatorPath),
      customerGetsOperator: reaches(operatorVoice, toCustomerPath),
      agentHearsOperator: audible.at(-1),
      operatorGetsOwnVoice: reaches(operatorVoice, toOperatorPath),
      customerGetsOwnVoice: reaches(customerVoice, toCustomerPath),
    }),
  };
}

describe('MonitorMix', () => {
  it('listen: the operator gets the customer; the operator’s voice reaches nobody', () => {
    const { heard } = setUp('listen');
    expect(heard()).toEqual({
      operatorGetsCustomer: true,
      customerGetsOperator: false,
      agentHearsOperator: false,
      operatorGetsOwnVoice: false,
      customerGetsOwnVoice: false,
    });
  });

  it('whisper: the agent hears the operator, the customer does not', () => {
    const { heard } = setUp('whisper');
    expect(heard()).toMatchObject({
      operatorGetsCustomer: true,
      customerGetsOperator: false,
      agentHearsOperator: true,
    });
  });

  it('barge: the operator’s voice also goes to the customer', () => {
    const { heard } = setUp('barge');
    expect(heard()).toEqual({
      operatorGetsCustomer: true,
      customerGetsOperator: true,
      agentHearsOperator: true,
      operatorGetsOwnVoice: false,
      customerGetsOwnVoice: false,
    });
  });

  it('switches modes in place, back and forth', () => {
    const { mix, heard } = setUp('listen');
    mix.setMode('barge');
    expect(heard()).toMatchObject({ customerGetsOperator: true, agentHearsOperator: true });
    mix.setMode('whisper');
    expect(heard()).toMatchObject({ customerGetsOperator: false, agentHearsOperator: true });
    mix.setMode('listen');
    expect(heard()).toMatchObject({ customerGetsOperator: false, agentHearsOperator: false });
  });

  it('takes everything out when disposed: the call sends the microphone only again', () => {
    const { mix, heard } = setUp('barge');
    mix.dispose();
    expect(heard()).toEqual({
      operatorGetsCustomer: false,
      customerGetsOperator: false,
      agentHearsOperator: false,
      operatorGetsOwnVoice: false,
      customerGetsOwnVoice: false,
    });
    mix.setMode('barge');
    expect(heard().customerGetsOperator).toBe(false);
  });
});
