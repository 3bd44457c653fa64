import { Inject, Injectable } from '@nestjs/common';
import { createGuardedFetch } from '@app/connectors';
import { TASKS_EXECUTE_SCOPE } from '../../auth/service-tokens/service-scope';
import { ServiceTokensService } from '../../auth/service-tokens/service-tokens.service';
import { dolphinSchedulerConfig, DolphinSchedulerConfig } from '../../config/configuration';
import { ConnectorsService } from '../../connectors/connectors.service';
import { ErrorReason } from '../../common/errors/error-reason';
import { SchedulingException } from '../scheduling.exception';
import { DsStatus } from './ds-api.types';
import { DolphinSchedulerClient, DsRunOptions } from './ds-client';
import { DolphinSchedulerError } from './ds-error';

/** The integration's name on the service token it embeds in DolphinScheduler. */
export const CALLBACK_TOKEN_MANAGER = 'dolphinscheduler';
const CALLBACK_TOKEN_NAME = 'dolphinscheduler-callback';

/**
 * Everything the DolphinScheduler parts share: the configured client, the project (created on
 * first use when missing), the run options (tenant, worker group) and the callback credential.
 */
@Injectable()
export class DsConnectionService {
  readonly client: DolphinSchedulerClient | null;
  private project: Promise<number> | null = null;

  constructor(
    @Inject(dolphinSchedulerConfig.KEY) readonly cfg: DolphinSchedulerConfig,
    private readonly serviceTokens: ServiceTokensService,
    connectors: ConnectorsService,
  ) {
    // The same outbound-address policy as data sources; redirects are never followed.
    this.client = cfg.enabled
      ? new DolphinSchedulerClient({
          baseUrl: cfg.url,
          token: cfg.token,
          timeoutMs: cfg.timeoutMs,
          fetch: createGuardedFetch(connectors.guardAddress),
        })
      : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  /** The client, or the 400 that says the integration is not configured. */
  requireClient(): DolphinSchedulerClient {
    if (!this.client) throw DsConnectionService.unavailable();
    return this.client;
  }

  static unavailable(): SchedulingException {
    return new SchedulingException(
      ErrorReason.SchedulerUnavailable,
      'scheduler_type "dolphinscheduler" is not available: DolphinScheduler is not configured',
      'Set DOLPHINSCHEDULER_URL, DOLPHINSCHEDULER_TOKEN and DOLPHINSCHEDULER_CALLBACK_URL, or use scheduler_type "builtin"',
    );
  }

  /** The code of DOLPHINSCHEDULER_PROJECT, creating the project when it does not exist yet. */
  projectCode(): Promise<number> {
    if (!this.project) {
      this.project = this.resolveProject();
      // A failure is not cached: the next call asks again.
      this.project.catch(() => (this.project = null));
    }
    return this.project;
  }

  /** Forgets the project code (it was deleted in DolphinScheduler meanwhile). */
  forgetProject(err: unknown): void {
    if (err instanceof DolphinSchedulerError && (err.is(DsStatus.ProjectNotFound) || err.is(10190)))
      this.project = null;
  }

  private async resolveProject(): Promise<number> {
    const client = this.requireClient();
    const name = this.cfg.project;
    const existing = (await client.listProjects()).find((p) => p.name === name);
    if (existing) return Number(existing.code);
    try {
      return Number((await client.createProject(name, 'Collection tasks scheduled for the metadata service')).code);
    } catch (err) {
      // Another replica created it first.
      if (!(err instanceof DolphinSchedulerError && err.is(DsStatus.ProjectAlreadyExists))) throw err;
      const created = (await client.listProjects()).find((p) => p.name === name);
      if (!created) throw err;
      return Number(created.code);
    }
  }

  /** The service token the callback presents (the active one, a new one after a revoke). */
  credential(): Promise<{ id: string; token: string }> {
    return this.serviceTokens.activeFor(CALLBACK_TOKEN_MANAGER, CALLBACK_TOKEN_NAME, TASKS_EXECUTE_SCOPE);
  }

  activeCredentialId(): Promise<string | null> {
    return this.serviceTokens.activeIdFor(CALLBACK_TOKEN_MANAGER);
  }

  runOptions(): DsRunOptions {
    return {
      workerGroup: this.cfg.workerGroup,
      tenantCode: this.cfg.tenant,
      failureStrategy: 'END',
      warningType: 'NONE',
      processInstancePriority: 'MEDIUM',
    };
  }
}
