import { describePgServer } from './diagnostics';

describe('PostgreSQL helpers', () => {
  it('describes the server from server_version', () => {
    expect(describePgServer('15.19 (Debian 15.19-0+deb12u1)')).toEqual({
      serverInfo: 'PostgreSQL 15.19',
      version: '15.19',
    });
    expect(describePgServer('16beta2')).toEqual({ serverInfo: 'PostgreSQL 16', version: '16' });
  });
});
