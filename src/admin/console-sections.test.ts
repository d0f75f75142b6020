import { describe, expect, it } from 'vitest';
import { roles } from '../../contracts/roles';
import { sectionsForRole } from './console-sections';

const ids = (role: (typeof roles)[number]) =>
  sectionsForRole(role, { bargeGroup: 'floor_1' }).map((section) => section.id);

describe('sectionsForRole', () => {
  it('shows each role its sections, each role including the ones before it', () => {
    expect(ids('agent')).toEqual(['my-calls']);
    expect(ids('operator')).toEqual(['operator', 'groups', 'wallboard', 'agent-history', 'my-calls']);
    expect(ids('supervisor')).toEqual([
      'operator',
      'groups',
      'profiles',
      'wallboard',
      'queues',
      'reports',
      'agent-history',
      'seats',
      'users',
      'credit',
      'calls',
      'audit',
      'my-calls',
    ]);
    const admin = ids('admin');
    expect(admin.filter((id) => id !== 'trunks' && id !== 'numbers')).toEqual(ids('supervisor'));
    expect(admin.slice(admin.indexOf('users'), admin.indexOf('users') + 3)).toEqual([
      'users',
      'trunks',
      'numbers',
    ]);
    for (const [index, role] of roles.entries()) {
      const lower = roles[index - 1];
      if (lower) expect(ids(role)).toEqual(expect.arrayContaining(ids(lower)));
    }
  });

  it('marks users read-only for supervisors, not for admins', () => {
    const usersFor = (role: 'supervisor' | 'admin') =>
      sectionsForRole(role, { bargeGroup: null }).find((section) => section.id === 'users');
    expect(usersFor('supervisor')?.readOnlyNote).toMatch(/Read only/);
    expect(usersFor('admin')?.readOnlyNote).toBeNull();
  });

  it('names the operator’s barge group, or says there is none', () => {
    const operator = (bargeGroup: string | null) =>
      sectionsForRole('operator', { bargeGroup }).find((section) => section.id === 'operator');
    expect(operator('floor_1')?.description).toContain('floor_1');
    expect(operator(null)?.description).toContain('no barge group');
  });
});
