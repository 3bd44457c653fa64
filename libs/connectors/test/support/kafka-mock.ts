/**
 * Starts librdkafka's mock cluster through Debian's kcat (`-X test.mock.num.brokers=N`). kcat runs
 * as a producer reading stdin, which keeps the cluster alive until stop(); librdkafka logs the
 * mock's bootstrap servers at notice level on stderr ("... replaced with 127.0.0.1:p1,...").
 */
import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';

export interface MockCluster {
  brokers: string[];
  stop(): Promise<void>;
}

export function startMockCluster(brokers = 3, timeoutMs = 15000): Promise<MockCluster> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(
      'kcat',
      ['-X', `test.mock.num.brokers=${brokers}`, '-b', '127.0.0.1:1', '-P', '-t', '__mock_keepalive'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`kcat did not print the mock bootstrap servers within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /replaced with ([0-9.:,]+)/.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      child.stderr.removeAllListeners('data');
      child.stderr.resume();
      resolve({
        brokers: m[1].split(',').filter(Boolean),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.stdin.end();
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
