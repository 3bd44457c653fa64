import { ConnectorError, ConnectorErrorCode } from '@app/connectors';
import { classifyFailure, ExecutionErrorCode, RunFailure } from './run-failure';

describe('classifyFailure', () => {
  it('keeps a connector error’s code and hint, and retries what another attempt could fix', () => {
    const unreachable = classifyFailure(
      new ConnectorError(ConnectorErrorCode.Unreachable, 'host down', 'Check the host'),
    );
    expect(unreachable).toEqual({
      error: { code: 'UNREACHABLE', message: 'host down', details: 'Check the host' },
      retryable: true,
    });
    expect(classifyFailure(new ConnectorError(ConnectorErrorCode.InvalidConfig, 'no host')).retryable).toBe(false);
    expect(classifyFailure(new ConnectorError(ConnectorErrorCode.AddressRefused, 'refused')).retryable).toBe(false);
  });

  it('never retries an inactive or missing data source', () => {
    expect(classifyFailure(new RunFailure(ExecutionErrorCode.DataSourceInactive, 'inactive')).retryable).toBe(false);
    expect(classifyFailure(new RunFailure(ExecutionErrorCode.DataSourceNotFound, 'gone')).retryable).toBe(false);
  });

  it('reports anything else as INTERNAL and retries it', () => {
    expect(classifyFailure(new Error('boom'))).toEqual({
      error: { code: 'INTERNAL', message: 'Run failed: boom', details: null },
      retryable: true,
    });
  });
});
