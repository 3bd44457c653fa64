import { Metadata, status } from '@grpc/grpc-js';
import { ArgumentsHost, Logger } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { DomainException } from './domain.exception';
import { ErrorCode, grpcStatusOf } from './error-code';
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
    const err = await statusOf(DomainException.notFound('Data source', 'ds-1'), md);
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.details).toBe('Data source ds-1 not found');
    expect(trailer(err, 'code')).toBe('NOT_FOUND');
    expect(trailer(err, 'request_id')).toBe('client-7');
  });

  it('mints one request id per call when the caller sends none', async () => {
    const md = new Metadata();
    const first = await statusOf(DomainException.invalid('bad'), md);
    const again = await statusOf(DomainException.invalid('bad'), md);
    expect(trailer(first, 'request_id')).toMatch(/^req-/);
    expect(trailer(again, 'request_id')).toBe(trailer(first, 'request_id'));
  });

  it('tells a resource that already exists from a state conflict', async () => {
    expect((await statusOf(DomainException.alreadyExists('A data source named "x" already exists'))).code).toBe(
      status.ALREADY_EXISTS,
    );
    expect((await statusOf(DomainException.conflict('A template named "y" already exists'))).code).toBe(
      status.ALREADY_EXISTS,
    );
    const state = await statusOf(DomainException.conflict('Task task-1 already has a run in progress'));
    expect(state.code).toBe(status.FAILED_PRECONDITION);
    expect(trailer(state, 'code')).toBe('CONFLICT');
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
  });

  it('keeps non-ASCII details in details-bin and passes Retry-After on', async () => {
    const err = await statusOf(
      new DomainException(ErrorCode.RateLimited, 'Too many', 'Réessayez dans 3 s', { 'Retry-After': '3' }),
    );
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(trailer(err, 'details')).toBeUndefined();
    expect(Buffer.from(trailer(err, 'details-bin') as Buffer).toString('utf8')).toBe('Réessayez dans 3 s');
    expect(trailer(err, 'retry-after')).toBe('3');
  });
});
