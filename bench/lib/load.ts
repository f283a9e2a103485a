/**
 * Runs autocannon (the npm load tool, CLI in its own node process so it does not share this
 * process's event loop with the API it loads) and reads its `--json` summary.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  seconds: number;
  connections: number;
}

export interface AutocannonSummary {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

const cli = (): string => {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
};

export const runAutocannon = (options: AutocannonOptions): Promise<AutocannonSummary> =>
  new Promise((done, fail) => {
    const args = [
      cli(),
      '--json',
      '--no-progress',
      '-c',
      String(options.connections),
      '-d',
      String(options.seconds),
      '-m',
      options.method,
      ...Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
      ...(options.body ? ['-b', options.body, '-I'] : []),
      options.url,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) {
        fail(new Error(`autocannon exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      const report = JSON.parse(stdout) as {
        requests: { total: number; average: number };
        latency: { p50: number; p99: number; max: number };
        non2xx: number;
        errors: number;
        duration: number;
      };
      done({
        requests: report.requests.total,
        requestsPerSecond: Math.round(report.requests.total / Math.max(report.duration, 0.001)),
        latencyMs: { p50: report.latency.p50, p99: report.latency.p99, max: report.latency.max },
        non2xx: report.non2xx,
        errors: report.errors,
      });
    });
  });
