export enum Role {
  Admin = 'admin',
  Operator = 'operator',
  Viewer = 'viewer',
  /** Edits what people write (annotations, tag groups, glossaries); reads like a viewer; nothing else. */
  Steward = 'steward',
}

/** Every role: reads are open to all of them. */
export const ALL_ROLES = [Role.Admin, Role.Operator, Role.Viewer, Role.Steward];

/** Who may annotate data sources, namespaces, assets and fields. */
export const ANNOTATOR_ROLES = [Role.Admin, Role.Operator, Role.Steward];

/** Who may define tag groups, glossaries, teams and custom properties. */
export const CURATOR_ROLES = [Role.Admin, Role.Steward];

/** Who is calling: set on the request (HTTP) or the call (gRPC) by the JWT guard. */
export interface Principal {
  id: string;
  username: string;
  role: Role;
  /** Set when another system calls with a service token: the one scope it may use. */
  service?: { scope: string };
}
