/**
 * Shapes of Apache DolphinScheduler's REST API as documented for 3.2.x (the `dolphinscheduler-api`
 * controllers of the 3.2 line: ProjectController, ProcessDefinitionController,
 * TaskDefinitionController, SchedulerController, ExecutorController, ProcessInstanceController,
 * LoggerController). Every answer is the `Result` envelope `{code, msg, data}`, `code` 0 on
 * success; requests authenticate with the `token` header and send form-encoded parameters.
 * Only the fields this integration reads are typed.
 */

export interface DsResult<T> {
  code: number;
  msg: string;
  data: T;
  success?: boolean;
  failed?: boolean;
}

export type ReleaseState = 'ONLINE' | 'OFFLINE';

export interface DsProject {
  id: number;
  code: number;
  name: string;
}

export interface DsProcessDefinition {
  code: number;
  name: string;
  releaseState: ReleaseState;
  version?: number;
  globalParams?: string;
}

export interface DsTaskDefinition {
  code: number;
  name: string;
  taskType: string;
  /** A JSON object (some versions answer it as a JSON string). */
  taskParams: unknown;
}

/** GET process-definition/{code}: the DAG of one definition. */
export interface DsDagData {
  processDefinition: DsProcessDefinition;
  taskDefinitionList: DsTaskDefinition[];
}

export interface DsSchedule {
  id: number;
  processDefinitionCode: number;
  startTime: string;
  endTime: string;
  timezoneId: string;
  crontab: string;
  releaseState: ReleaseState;
  workerGroup?: string;
  tenantCode?: string;
}

/** The `schedule` parameter of create/update schedule, sent as a JSON string. */
export interface DsScheduleParam {
  startTime: string;
  endTime: string;
  timezoneId: string;
  crontab: string;
}

export interface DsPage<T> {
  totalList: T[];
  total: number;
  currentPage?: number;
  pageSize?: number;
  totalPage?: number;
}

/** WorkflowExecutionStatus (3.x): the state names a process instance goes through. */
export type DsWorkflowState =
  | 'SUBMITTED_SUCCESS'
  | 'RUNNING_EXECUTION'
  | 'READY_PAUSE'
  | 'PAUSE'
  | 'READY_STOP'
  | 'STOP'
  | 'FAILURE'
  | 'SUCCESS'
  | 'DELAY_EXECUTION'
  | 'SERIAL_WAIT'
  | 'READY_BLOCK'
  | 'BLOCK'
  | 'WAIT_TO_RUN';

export interface DsProcessInstance {
  id: number;
  name?: string;
  processDefinitionCode: number;
  state: DsWorkflowState | string;
  commandType?: string;
  startTime?: string | null;
  endTime?: string | null;
  host?: string | null;
}

export interface DsTaskInstance {
  id: number;
  name: string;
  taskType?: string;
  state: string;
  startTime?: string | null;
  endTime?: string | null;
}

/** GET process-instances/{id}/tasks */
export interface DsInstanceTasks {
  taskList: DsTaskInstance[];
  processInstanceState?: string;
}

/** GET /log/detail */
export interface DsTaskLog {
  lineNum: number;
  message: string;
}

/** The HTTP task's parameters (HttpParameters in the task-http plugin). */
export interface DsHttpProperty {
  prop: string;
  httpParametersType: 'PARAMETER' | 'BODY' | 'HEADERS';
  value: string;
}

export interface DsHttpTaskParams {
  localParams: unknown[];
  resourceList: unknown[];
  url: string;
  httpMethod: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE';
  httpParams: DsHttpProperty[];
  httpCheckCondition: 'STATUS_CODE_DEFAULT' | 'STATUS_CODE_CUSTOM' | 'BODY_CONTAINS' | 'BODY_NOT_CONTAINS';
  condition: string;
  connectTimeout: number;
  socketTimeout: number;
}

/** Status codes (api `Status` enum) this integration reacts to. */
export const DsStatus = {
  Success: 0,
  ProjectNotFound: 10018,
  ProjectAlreadyExists: 10019,
  ScheduleNotExists: 10022,
  ScheduleOnlineForbidUpdate: 10023,
  ScheduleReleaseNeedNotChange: 10126,
  ProcessInstanceNotExist: 50001,
  ProcessDefineNotExist: 50003,
  ProcessDefineNotRelease: 50004,
  ProcessDefineNotAllowedEdit: 50008,
  ProcessDefineStateOnline: 50021,
  ScheduleStateOnline: 50023,
} as const;
