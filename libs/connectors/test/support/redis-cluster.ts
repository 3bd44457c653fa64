/**
 * A throw-away three-master Redis Cluster on free loopback ports, started from the machine's
 * redis-server binary (no persistence, files in a temp directory) and joined with
 * `redis-cli --cluster create`. stop() ends exactly the processes it started.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports p with p and the cluster bus port p+10000 both free. */
async function freePorts(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let port = 21000 + Math.floor(Math.random() * 20000); out.length < count && port < 55000; port++) {
    if ((await portFree(port)) && (await portFree(port + 10000))) out.push(port);
  }
  if (out.length < count) throw new Error('no free ports for a Redis cluster');
  return out;
}

export interface RedisCluster {
  ports: number[];
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'it-redis-cluster-'));
  const ports = await freePorts(masters);
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      for (
        let i = 0;
        i < 50 &&
        !(await run('redis-cli', ['-p', String(port), 'ping']).then(
          () => true,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'], {
      timeout: 30000,
    });
    // Wait until every node sees the cluster as ok.
    for (const port of ports) {
      for (let i = 0; i < 100; i++) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (/cluster_state:ok/.test(stdout)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
