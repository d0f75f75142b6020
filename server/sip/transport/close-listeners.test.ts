import { describe, expect, it } from 'vitest';
import { CloseListeners } from './close-listeners';

/** Listeners that write their name into `told` when told. */
function recorder() {
  const told: string[] = [];
  const errors: unknown[] = [];
  const listeners = new CloseListeners((error) => errors.push(error));
  const named = (name: string) => () => {
    told.push(name);
  };
  return { told, errors, listeners, named };
}

describe('CloseListeners', () => {
  it('tells one listener once, and nothing at a second close', () => {
    const { told, listeners, named } = recorder();
    listeners.add(named('registration'));
    listeners.tell();
    listeners.tell();
    expect(told).toEqual(['registration']);
  });

  it('tells several in the order they came, each once even if added twice', () => {
    const { told, listeners, named } = recorder();
    const call = named('call');
    listeners.add(named('registration'));
    listeners.add(call);
    listeners.add(call);
    listeners.add(named('queue'));
    listeners.tell();
    expect(told).toEqual(['registration', 'call', 'queue']);
  });

  it('keeps one listener added twice as one', () => {
    const { told, listeners, named } = recorder();
    const call = named('call');
    listeners.add(call);
    listeners.add(call);
    listeners.tell();
    expect(told).toEqual(['call']);
  });

  it('does not tell a removed listener, alone or among others', () => {
    const { told, listeners, named } = recorder();
    const removeOnly = listeners.add(named('gone'));
    removeOnly();
    listeners.tell();
    expect(told).toEqual([]);

    const other = recorder();
    other.listeners.add(other.named('registration'));
    const removeCall = other.listeners.add(other.named('call'));
    removeCall();
    other.listeners.tell();
    expect(other.told).toEqual(['registration']);
  });

  it('keeps telling in order after a removal leaves one and more come', () => {
    const { told, listeners, named } = recorder();
    listeners.add(named('registration'));
    const removeBudget = listeners.add(named('budget'));
    removeBudget();
    listeners.add(named('call'));
    listeners.add(named('queue'));
    listeners.tell();
    expect(told).toEqual(['registration', 'call', 'queue']);
  });

  it('reports a listener that throws and still tells the rest', () => {
    const { told, errors, listeners, named } = recorder();
    const failure = new Error('listener failed');
    listeners.add(() => {
      throw failure;
    });
    listeners.add(named('after'));
    listeners.tell();
    expect(errors).toEqual([failure]);
    expect(told).toEqual(['after']);
  });

  it('tells a listener that another adds while being told, whether one or several were held', () => {
    for (const before of [[], ['first']]) {
      const { told, listeners, named } = recorder();
      for (const name of before) listeners.add(named(name));
      listeners.add(() => {
        told.push('adder');
        listeners.add(named('added meanwhile'));
      });
      listeners.tell();
      expect(told).toEqual([...before, 'adder', 'added meanwhile']);
    }
  });

  it('skips a listener that an earlier one removes while being told', () => {
    const { told, listeners, named } = recorder();
    let removeLater = () => {};
    listeners.add(() => {
      told.push('remover');
      removeLater();
    });
    removeLater = listeners.add(named('removed'));
    listeners.tell();
    expect(told).toEqual(['remover']);
  });
});
