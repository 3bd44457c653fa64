export enum Role {
  Admin = 'admin',
  Operator = 'operator',
  Viewer = 'viewer',
}

export const ALL_ROLES = [Role.Admin, Role.Operator, Role.Viewer];

/** Who is calling: set on the request (HTTP) or the call (gRPC) by the JWT guard. */
export interface Principal {
  id: string;
  username: string;
  role: Role;
  /** Set when another system calls with a service token: the one scope it may use. */
  service?: { scope: string };
}
