import { describeMysqlServer, sessionSetup } from './flavor';

describe('MySQL-protocol servers', () => {
  it('tells MySQL, MariaDB and Doris apart and reads their versions', () => {
    expect(describeMysqlServer('8.0.32', 'MySQL Community Server - GPL')).toEqual({
      flavor: 'mysql',
      serverInfo: 'MySQL 8.0.32',
      version: '8.0.32',
    });
    expect(describeMysqlServer('10.11.19-MariaDB-0+deb12u1', 'Debian 12')).toEqual({
      flavor: 'mariadb',
      serverInfo: 'MariaDB 10.11.19',
      version: '10.11.19',
    });
    expect(describeMysqlServer('5.7.99', 'Doris version doris-2.1.7-rc03-443e87e203')).toEqual({
      flavor: 'doris',
      serverInfo: 'Doris 2.1.7',
      version: '2.1.7',
    });
  });

  it("bounds statements with each flavor's own variable and keeps MariaDB's IN lists as filters", () => {
    expect(sessionSetup('mariadb', 30_000)).toEqual([
      { sql: 'SET SESSION max_statement_time = ?', values: [30] },
      { sql: 'SET SESSION in_predicate_conversion_threshold = ?', values: [0] },
    ]);
    expect(sessionSetup('mysql', 30_000)).toEqual([
      { sql: 'SET SESSION max_execution_time = ?, net_write_timeout = ?', values: [30_000, 86_400] },
    ]);
    expect(sessionSetup('doris', 1500)).toEqual([{ sql: 'SET query_timeout = ?', values: [2] }]);
  });
});
