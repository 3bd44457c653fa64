import { status as GrpcStatus } from '@grpc/grpc-js';
import { ErrorCode } from './error-code';

/**
 * The envelope's optional `reason`: which rule refused the request, finer than the seed's `code`.
 * A client may branch on it; the message stays for people. Every value is listed in REASONS below.
 */
export enum ErrorReason {
  // Requests and the platform
  ValidationFailed = 'VALIDATION_FAILED',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  BodyNotJson = 'BODY_NOT_JSON',
  BodyTooLarge = 'BODY_TOO_LARGE',
  JsonTooDeep = 'JSON_TOO_DEEP',
  DuplicateValue = 'DUPLICATE_VALUE',
  RateLimited = 'RATE_LIMITED',
  // Authentication and authorization
  AuthenticationRequired = 'AUTHENTICATION_REQUIRED',
  TokenInvalid = 'TOKEN_INVALID',
  TokenExpired = 'TOKEN_EXPIRED',
  TokenReused = 'TOKEN_REUSED',
  LoginEnded = 'LOGIN_ENDED',
  LoginFailed = 'LOGIN_FAILED',
  AccountDisabled = 'ACCOUNT_DISABLED',
  LoginLocked = 'LOGIN_LOCKED',
  TokenOfAnotherUser = 'TOKEN_OF_ANOTHER_USER',
  RoleNotAllowed = 'ROLE_NOT_ALLOWED',
  PermissionUndeclared = 'PERMISSION_UNDECLARED',
  ServiceTokenInvalid = 'SERVICE_TOKEN_INVALID',
  ServiceTokenNotAllowed = 'SERVICE_TOKEN_NOT_ALLOWED',
  ServiceTokenOutOfScope = 'SERVICE_TOKEN_OUT_OF_SCOPE',
  ServiceTokenNotFound = 'SERVICE_TOKEN_NOT_FOUND',
  MetricsTokenRequired = 'METRICS_TOKEN_REQUIRED',
  PasswordTooWeak = 'PASSWORD_TOO_WEAK',
  // Users
  UserNotFound = 'USER_NOT_FOUND',
  UsernameTaken = 'USERNAME_TAKEN',
  OwnAdminRights = 'OWN_ADMIN_RIGHTS',
  LastAdmin = 'LAST_ADMIN',
  // Data sources and their configs (templates share the config rules)
  DataSourceNotFound = 'DATASOURCE_NOT_FOUND',
  DataSourceNameTaken = 'DATASOURCE_NAME_TAKEN',
  DataSourceInUse = 'DATASOURCE_IN_USE',
  DataSourceTypeMismatch = 'DATASOURCE_TYPE_MISMATCH',
  UnsupportedDataSourceType = 'UNSUPPORTED_DATASOURCE_TYPE',
  InvalidConfig = 'INVALID_CONFIG',
  MaskedSecret = 'MASKED_SECRET',
  SecretNotResent = 'SECRET_NOT_RESENT',
  CredentialInPlainField = 'CREDENTIAL_IN_PLAIN_FIELD',
  SecretsUnreadable = 'SECRETS_UNREADABLE',
  ConnectionTestsLimited = 'CONNECTION_TESTS_LIMITED',
  // Import and export
  ImportDocumentInvalid = 'IMPORT_DOCUMENT_INVALID',
  // Templates
  TemplateNotFound = 'TEMPLATE_NOT_FOUND',
  TemplateNameTaken = 'TEMPLATE_NAME_TAKEN',
  TemplateReadOnly = 'TEMPLATE_READ_ONLY',
  BuiltInTemplateImport = 'BUILT_IN_TEMPLATE_IMPORT',
  BuiltInTemplateExport = 'BUILT_IN_TEMPLATE_EXPORT',
  // Tasks and their schedules
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskNameTaken = 'TASK_NAME_TAKEN',
  TaskDataSourceNotFound = 'TASK_DATASOURCE_NOT_FOUND',
  UnsupportedTaskType = 'UNSUPPORTED_TASK_TYPE',
  InvalidTransition = 'INVALID_TRANSITION',
  InvalidSchedule = 'INVALID_SCHEDULE',
  SchedulerUnavailable = 'SCHEDULER_UNAVAILABLE',
  SchedulerError = 'SCHEDULER_ERROR',
  TaskBusy = 'TASK_BUSY',
  CallbackInvalid = 'CALLBACK_INVALID',
  CallbackRefused = 'CALLBACK_REFUSED',
  // Executions
  ExecutionNotFound = 'EXECUTION_NOT_FOUND',
  ExecutionRunning = 'EXECUTION_RUNNING',
  // Catalog
  AssetNotFound = 'ASSET_NOT_FOUND',
  AssetNotInCatalog = 'ASSET_NOT_IN_CATALOG',
  CatalogRunClosed = 'CATALOG_RUN_CLOSED',
  // Annotations and their definitions (tag groups, glossaries, teams, custom properties)
  AnnotationInvalid = 'ANNOTATION_INVALID',
  AnnotationsChanged = 'ANNOTATIONS_CHANGED',
  AnnotationSubjectNotFound = 'ANNOTATION_SUBJECT_NOT_FOUND',
  UnknownReference = 'UNKNOWN_REFERENCE',
  ExclusiveTagGroup = 'EXCLUSIVE_TAG_GROUP',
  DefinitionExists = 'DEFINITION_EXISTS',
  DefinitionInUse = 'DEFINITION_IN_USE',
  SuggestionDecided = 'SUGGESTION_DECIDED',
  // Webhooks
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  DeliveryNotFound = 'DELIVERY_NOT_FOUND',
  DeliveryPending = 'DELIVERY_PENDING',
  WebhookUrlRefused = 'WEBHOOK_URL_REFUSED',
  // Lineage
  LineageNodeNotFound = 'LINEAGE_NODE_NOT_FOUND',
  LineageJobNotFound = 'LINEAGE_JOB_NOT_FOUND',
  LineageEventInvalid = 'LINEAGE_EVENT_INVALID',
}

export interface ReasonStatus {
  /** The seed's envelope code; the HTTP status follows from it (httpStatusOf). */
  code: ErrorCode;
  grpc: GrpcStatus;
}

const invalid: ReasonStatus = { code: ErrorCode.InvalidRequest, grpc: GrpcStatus.INVALID_ARGUMENT };
const unauthenticated: ReasonStatus = { code: ErrorCode.Unauthorized, grpc: GrpcStatus.UNAUTHENTICATED };
const denied: ReasonStatus = { code: ErrorCode.Forbidden, grpc: GrpcStatus.PERMISSION_DENIED };
const notFound: ReasonStatus = { code: ErrorCode.NotFound, grpc: GrpcStatus.NOT_FOUND };
/** The thing being created (or renamed) already exists. */
const exists: ReasonStatus = { code: ErrorCode.Conflict, grpc: GrpcStatus.ALREADY_EXISTS };
/** The resource's state forbids the call. */
const state: ReasonStatus = { code: ErrorCode.Conflict, grpc: GrpcStatus.FAILED_PRECONDITION };
const limited: ReasonStatus = { code: ErrorCode.RateLimited, grpc: GrpcStatus.RESOURCE_EXHAUSTED };

/**
 * The one place a reason gets its statuses. The mapped type makes it exhaustive: a reason added to
 * the enum without a row here does not compile.
 */
export const REASONS: { readonly [R in ErrorReason]: ReasonStatus } = {
  [ErrorReason.ValidationFailed]: invalid,
  [ErrorReason.RouteNotFound]: notFound,
  [ErrorReason.BodyNotJson]: invalid,
  [ErrorReason.BodyTooLarge]: { code: ErrorCode.PayloadTooLarge, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorReason.JsonTooDeep]: invalid,
  [ErrorReason.DuplicateValue]: exists,
  [ErrorReason.RateLimited]: limited,

  [ErrorReason.AuthenticationRequired]: unauthenticated,
  [ErrorReason.TokenInvalid]: unauthenticated,
  [ErrorReason.TokenExpired]: unauthenticated,
  [ErrorReason.TokenReused]: unauthenticated,
  [ErrorReason.LoginEnded]: unauthenticated,
  [ErrorReason.LoginFailed]: unauthenticated,
  [ErrorReason.AccountDisabled]: unauthenticated,
  [ErrorReason.LoginLocked]: limited,
  [ErrorReason.TokenOfAnotherUser]: denied,
  [ErrorReason.RoleNotAllowed]: denied,
  [ErrorReason.PermissionUndeclared]: denied,
  [ErrorReason.ServiceTokenInvalid]: unauthenticated,
  [ErrorReason.ServiceTokenNotAllowed]: denied,
  [ErrorReason.ServiceTokenOutOfScope]: denied,
  [ErrorReason.ServiceTokenNotFound]: notFound,
  [ErrorReason.MetricsTokenRequired]: unauthenticated,
  [ErrorReason.PasswordTooWeak]: invalid,

  [ErrorReason.UserNotFound]: notFound,
  [ErrorReason.UsernameTaken]: exists,
  [ErrorReason.OwnAdminRights]: state,
  [ErrorReason.LastAdmin]: state,

  [ErrorReason.DataSourceNotFound]: notFound,
  [ErrorReason.DataSourceNameTaken]: exists,
  [ErrorReason.DataSourceInUse]: state,
  [ErrorReason.DataSourceTypeMismatch]: invalid,
  [ErrorReason.UnsupportedDataSourceType]: invalid,
  [ErrorReason.InvalidConfig]: invalid,
  [ErrorReason.MaskedSecret]: invalid,
  [ErrorReason.SecretNotResent]: invalid,
  [ErrorReason.CredentialInPlainField]: invalid,
  [ErrorReason.SecretsUnreadable]: { code: ErrorCode.Internal, grpc: GrpcStatus.INTERNAL },
  [ErrorReason.ConnectionTestsLimited]: limited,

  [ErrorReason.ImportDocumentInvalid]: invalid,

  [ErrorReason.TemplateNotFound]: notFound,
  [ErrorReason.TemplateNameTaken]: exists,
  [ErrorReason.TemplateReadOnly]: denied,
  [ErrorReason.BuiltInTemplateImport]: denied,
  [ErrorReason.BuiltInTemplateExport]: invalid,

  [ErrorReason.TaskNotFound]: notFound,
  [ErrorReason.TaskNameTaken]: exists,
  [ErrorReason.TaskDataSourceNotFound]: invalid,
  [ErrorReason.UnsupportedTaskType]: invalid,
  [ErrorReason.InvalidTransition]: state,
  [ErrorReason.InvalidSchedule]: invalid,
  [ErrorReason.SchedulerUnavailable]: invalid,
  [ErrorReason.SchedulerError]: { code: ErrorCode.BadGateway, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorReason.TaskBusy]: state,
  [ErrorReason.CallbackInvalid]: invalid,
  [ErrorReason.CallbackRefused]: state,

  [ErrorReason.ExecutionNotFound]: notFound,
  [ErrorReason.ExecutionRunning]: state,

  [ErrorReason.AssetNotFound]: notFound,
  [ErrorReason.AssetNotInCatalog]: notFound,
  [ErrorReason.CatalogRunClosed]: state,

  [ErrorReason.AnnotationInvalid]: invalid,
  [ErrorReason.AnnotationsChanged]: state,
  [ErrorReason.AnnotationSubjectNotFound]: notFound,
  [ErrorReason.UnknownReference]: invalid,
  [ErrorReason.ExclusiveTagGroup]: invalid,
  [ErrorReason.DefinitionExists]: exists,
  [ErrorReason.DefinitionInUse]: state,
  [ErrorReason.SuggestionDecided]: state,

  [ErrorReason.WebhookNotFound]: notFound,
  [ErrorReason.DeliveryNotFound]: notFound,
  [ErrorReason.DeliveryPending]: state,
  [ErrorReason.WebhookUrlRefused]: invalid,
  [ErrorReason.LineageNodeNotFound]: notFound,
  [ErrorReason.LineageJobNotFound]: notFound,
  [ErrorReason.LineageEventInvalid]: invalid,
};

export function reasonStatus(reason: ErrorReason): ReasonStatus {
  return REASONS[reason];
}
