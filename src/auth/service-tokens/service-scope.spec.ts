import { isServiceToken, parseServiceToken } from './service-scope';

describe('service token format', () => {
  it('tells service tokens from access tokens (JWTs) and splits id from secret', () => {
    expect(parseServiceToken('mds-svc.svc-01jabc.s3cr3t_-x')).toEqual({ id: 'svc-01jabc', secret: 's3cr3t_-x' });
    expect(isServiceToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe(false);
    expect(parseServiceToken('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBeNull();
    expect(parseServiceToken('mds-svc.')).toBeNull();
    expect(parseServiceToken('mds-svc.svc-1.')).toBeNull();
    expect(parseServiceToken('mds-svc..secret')).toBeNull();
  });
});
