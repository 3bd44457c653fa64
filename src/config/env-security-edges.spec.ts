import { validateEnv } from './env.schema';

describe('validateEnv: values compose and operators pass', () => {
  it('takes an empty ADMIN_PASSWORD (compose passes an unset one as "") as unset, so a password is generated', () => {
    expect(validateEnv({ ADMIN_PASSWORD: '' }).ADMIN_PASSWORD).toBeUndefined();
    expect(validateEnv({}).ADMIN_PASSWORD).toBeUndefined();
    expect(() => validateEnv({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('bounds gRPC messages at 4 MiB unless GRPC_MAX_MESSAGE_BYTES says otherwise', () => {
    expect(validateEnv({}).GRPC_MAX_MESSAGE_BYTES).toBe(4 * 1024 * 1024);
    expect(validateEnv({ GRPC_MAX_MESSAGE_BYTES: '65536' }).GRPC_MAX_MESSAGE_BYTES).toBe(65536);
    expect(() => validateEnv({ GRPC_MAX_MESSAGE_BYTES: 'lots' })).toThrow(/GRPC_MAX_MESSAGE_BYTES/);
  });
});
