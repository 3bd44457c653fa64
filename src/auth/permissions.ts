import { ALL_ROLES, ANNOTATOR_ROLES, CURATOR_ROLES, Role } from './role';

/**
 * What an operation needs, named once and read by REST and gRPC alike: a REST handler and the gRPC
 * method doing the same thing carry the same @Requires(Permission.…). Every operation states one,
 * or @Public(); the roles guard refuses an operation that states neither.
 */
export enum Permission {
  /** Any signed-in user on their own session: /me, logout. */
  OwnSession = 'session.own',
  CatalogRead = 'catalog.read',
  DataSourcesRead = 'datasources.read',
  DataSourcesWrite = 'datasources.write',
  DataSourcesExport = 'datasources.export',
  DataSourcesDelete = 'datasources.delete',
  TemplatesRead = 'templates.read',
  TemplatesWrite = 'templates.write',
  TemplatesExport = 'templates.export',
  TasksRead = 'tasks.read',
  TasksWrite = 'tasks.write',
  TasksRun = 'tasks.run',
  AnnotationsRead = 'annotations.read',
  AnnotationsWrite = 'annotations.write',
  /** Tag groups, glossaries, teams and custom properties. */
  AnnotationDefinitionsWrite = 'annotation-definitions.write',
  LineageRead = 'lineage.read',
  LineageWrite = 'lineage.write',
  WebhooksManage = 'webhooks.manage',
  UsersManage = 'users.manage',
  ServiceTokensManage = 'service-tokens.manage',
  AuditRead = 'audit.read',
}

const WRITERS = [Role.Admin, Role.Operator];
/** Exports read configs in bulk: every role but the steward, who only edits annotations. */
const EXPORTERS = [Role.Admin, Role.Operator, Role.Viewer];
const ADMINS = [Role.Admin];

/** The roles of each permission; the mapped type makes it exhaustive. */
export const PERMISSION_ROLES: { readonly [P in Permission]: readonly Role[] } = {
  [Permission.OwnSession]: ALL_ROLES,
  [Permission.CatalogRead]: ALL_ROLES,
  [Permission.DataSourcesRead]: ALL_ROLES,
  [Permission.DataSourcesWrite]: WRITERS,
  [Permission.DataSourcesExport]: EXPORTERS,
  [Permission.DataSourcesDelete]: ADMINS,
  [Permission.TemplatesRead]: ALL_ROLES,
  [Permission.TemplatesWrite]: WRITERS,
  [Permission.TemplatesExport]: EXPORTERS,
  [Permission.TasksRead]: ALL_ROLES,
  [Permission.TasksWrite]: WRITERS,
  [Permission.TasksRun]: WRITERS,
  [Permission.AnnotationsRead]: ALL_ROLES,
  [Permission.AnnotationsWrite]: ANNOTATOR_ROLES,
  [Permission.AnnotationDefinitionsWrite]: CURATOR_ROLES,
  [Permission.LineageRead]: ALL_ROLES,
  [Permission.LineageWrite]: WRITERS,
  [Permission.WebhooksManage]: WRITERS,
  [Permission.UsersManage]: ADMINS,
  [Permission.ServiceTokensManage]: ADMINS,
  [Permission.AuditRead]: ADMINS,
};

/**
 * What is served outside the Nest router, so no guard sees it: public on purpose, listed here so
 * the route-permission test checks it too. The web console's static files are everything outside
 * /api (when the console is built); they hold no data, the API behind them checks every call.
 */
export const PUBLIC_MOUNTS = {
  swaggerUi: '/api/docs',
  openApiJson: '/api/docs-json',
  webConsole: '/',
} as const;
