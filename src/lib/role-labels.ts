import type { Role } from '../../contracts/roles';

export const roleLabels: Record<Role, string> = {
  agent: 'Agent',
  operator: 'Operator',
  supervisor: 'Supervisor',
  admin: 'Admin',
};
