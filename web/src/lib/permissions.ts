import type { Role } from '../api/types';

/** What a role may do, mirroring the service's @Roles guards: viewers get no buttons they cannot use. */
export const can = {
  manageSources: (r: Role) => r === 'admin' || r === 'operator',
  deleteSources: (r: Role) => r === 'admin',
  manageTasks: (r: Role) => r === 'admin' || r === 'operator',
  annotate: (r: Role) => r === 'admin' || r === 'operator' || r === 'steward',
  manageWebhooks: (r: Role) => r === 'admin' || r === 'operator',
  administer: (r: Role) => r === 'admin',
};
