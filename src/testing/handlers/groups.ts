import { http, HttpResponse } from 'msw';
import type { GroupList } from '../../../contracts/groups';
import { demoGroups } from '../demo-data';

export const groupHandlers = [
  http.get('/api/groups', () => HttpResponse.json<GroupList>({ items: demoGroups })),
];
