import { Metadata, status } from '@grpc/grpc-js';
import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { DomainException } from './domain.exception';
import { ErrorCode, grpcStatusOf, httpStatusOf } from './error-code';
import { ErrorReason, REASONS } from './error-reason';
import { normalizeError } from './error-envelope';
import { TemplateException } from '../../templates/template.exception';
import { ExecutionException } from '../../executions/execution.exception';
import { GrpcExceptionFilter, GrpcStatusError } from './grpc-exception.filter';

/** The host Nest gives an RPC filter: (request, metadata, call). */
function rpcHost(metadata: Metadata): ArgumentsHost {
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => metadata, getData: () => ({}) }),
    getArgs: () => [{}, metadata, {}],
    getArgByIndex: (i: number) => [{}, metadata, {}][i],
  } as unknown as ArgumentsHost;
}

async function statusOf(exception: unknown, metadata = new Metadata()): Promise<GrpcStatusError> {
  try {
    await lastValueFrom(new GrpcExceptionFilter().catch(exception, rpcHost(metadata)));
  } catch (err) {
    return err as GrpcStatusError;
  }
  throw new Error('the filter did not fail the call');
}

const trailer = (err: GrpcStatusError, key: string) => err.metadata.get(key)[0];

describe('gRPC status of every error', () => {
  // Unexpected errors are logged with their stack; not needed here.
  beforeAll(() => Logger.overrideLogger(false));
  it('maps each envelope code to one gRPC status', () => {
    const expected: Record<ErrorCode, status> = {
      [ErrorCode.InvalidRequest]: status.INVALID_ARGUMENT,
      [ErrorCode.Unauthorized]: status.UNAUTHENTICATED,
      [ErrorCode.Forbidden]: status.PERMISSION_DENIED,
      [ErrorCode.NotFound]: status.NOT_FOUND,
      [ErrorCode.Conflict]: status.FAILED_PRECONDITION,
      [ErrorCode.PayloadTooLarge]: status.RESOURCE_EXHAUSTED,
      [ErrorCode.RateLimited]: status.RESOURCE_EXHAUSTED,
      [ErrorCode.Internal]: status.INTERNAL,
      [ErrorCode.BadGateway]: status.UNAVAILABLE,
      [ErrorCode.ServiceUnavailable]: status.UNAVAILABLE,
    };
    for (const code of Object.values(ErrorCode)) expect(grpcStatusOf(code)).toBe(expected[code]);
  });

  it('sends the message as the status message and the envelope in the trailers', async () => {
    const md = new Metadata();
    md.set('x-request-id', 'client-7');
    const err = await statusOf(new DomainException(ErrorReason.DataSourceNotFound, 'Data source ds-1 not found'), md);
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.details).toBe('Data source ds-1 not found');
    expect(trailer(err, 'code')).toBe('NOT_FOUND');
    expect(trailer(err, 'reason')).toBe('DATASOURCE_NOT_FOUND');
    expect(trailer(err, 'request_id')).toBe('client-7');
  });

  it('mints one request id per call when the caller sends none', async () => {
    const md = new Metadata();
    const first = await statusOf(new DomainException(ErrorReason.ValidationFailed, 'bad'), md);
    const again = await statusOf(new DomainException(ErrorReason.ValidationFailed, 'bad'), md);
    expect(trailer(first, 'request_id')).toMatch(/^req-/);
    expect(trailer(again, 'request_id')).toBe(trailer(first, 'request_id'));
  });

  it('tells a resource that already exists from a state conflict', async () => {
    const taken = await statusOf(TemplateException.nameTaken('mysql', 'y'));
    expect(taken.code).toBe(status.ALREADY_EXISTS);
    expect(trailer(taken, 'code')).toBe('CONFLICT');
    expect(trailer(taken, 'reason')).toBe('TEMPLATE_NAME_TAKEN');
    const state = await statusOf(ExecutionException.runInProgress('task-1'));
    expect(state.code).toBe(status.FAILED_PRECONDITION);
    expect(trailer(state, 'code')).toBe('CONFLICT');
    expect(trailer(state, 'reason')).toBe('EXECUTION_RUNNING');
  });

  it('turns a store unique violation (PostgreSQL 23505, SQLite, MySQL 1062) into ALREADY_EXISTS, not INTERNAL', async () => {
    for (const driverError of [
      { code: '23505' },
      { code: 'SQLITE_CONSTRAINT_UNIQUE' },
      { code: 'ER_DUP_ENTRY', errno: 1062 },
    ]) {
      const err = await statusOf(Object.assign(new Error('duplicate key'), { driverError }));
      expect(err.code).toBe(status.ALREADY_EXISTS);
      expect(trailer(err, 'code')).toBe('CONFLICT');
    }
  });

  it('hides unexpected errors behind INTERNAL', async () => {
    const err = await statusOf(new Error('connection string postgres://u:secret@h/db refused'));
    expect(err.code).toBe(status.INTERNAL);
    expect(err.details).toBe('Internal server error');
    expect(trailer(err, 'code')).toBe('INTERNAL_ERROR');
    expect(trailer(err, 'reason')).toBeUndefined();
  });

  it('keeps non-ASCII details in details-bin and passes Retry-After on', async () => {
    const err = await statusOf(
      new DomainException(ErrorReason.RateLimited, 'Too many', 'Réessayez dans 3 s', { 'Retry-After': '3' }),
    );
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(trailer(err, 'details')).toBeUndefined();
    expect(Buffer.from(trailer(err, 'details-bin') as Buffer).toString('utf8')).toBe('Réessayez dans 3 s');
    expect(trailer(err, 'retry-after')).toBe('3');
  });

  it('chooses no status by the message text', async () => {
    const worded = await statusOf(new DomainException(ErrorReason.CatalogRunClosed, 'The thing already exists'));
    expect(worded.code).toBe(status.FAILED_PRECONDITION);
  });
});

describe('the reason table', () => {
  it('gives every reason one envelope code, one HTTP status and one gRPC status', () => {
    for (const reason of Object.values(ErrorReason)) {
      const row = REASONS[reason];
      expect(Object.values(ErrorCode)).toContain(row.code);
      expect(reason).toMatch(/^[A-Z][A-Z_]*[A-Z]$/);
      const normalized = normalizeError(new DomainException(reason, 'refused'));
      expect(normalized).toMatchObject({
        code: row.code,
        reason,
        status: httpStatusOf(row.code),
        grpcStatus: row.grpc,
      });
    }
  });

  it('keeps each reason to a gRPC status that agrees with its envelope code', () => {
    for (const reason of Object.values(ErrorReason)) {
      const { code, grpc } = REASONS[reason];
      // A CONFLICT splits into ALREADY_EXISTS and FAILED_PRECONDITION; every other code has one status.
      if (code === ErrorCode.Conflict) expect([status.ALREADY_EXISTS, status.FAILED_PRECONDITION]).toContain(grpc);
      else expect(grpc).toBe(grpcStatusOf(code));
    }
  });

  it('is documented row for row in docs/errors.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');
    for (const reason of Object.values(ErrorReason)) {
      const { code, grpc } = REASONS[reason];
      expect(doc).toContain(`| \`${reason}\` | \`${code}\` | ${httpStatusOf(code)} | \`${status[grpc]}\` |`);
    }
  });

  it('names the rule for framework refusals too: unknown routes, bad JSON, too large, unique violations', () => {
    expect(normalizeError(new NotFoundException('Cannot GET /api/v1/nope')).reason).toBe('ROUTE_NOT_FOUND');
    expect(normalizeError({ type: 'entity.parse.failed', status: 400 }).reason).toBe('BODY_NOT_JSON');
    expect(normalizeError({ type: 'entity.too.large', status: 413 }).reason).toBe('BODY_TOO_LARGE');
    expect(normalizeError(Object.assign(new Error('dup'), { driverError: { code: '23505' } })).reason).toBe(
      'DUPLICATE_VALUE',
    );
    expect(normalizeError(new Error('boom')).reason).toBeUndefined();
  });
});
