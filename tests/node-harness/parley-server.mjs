// Starts a real Parley server process on 127.0.0.1 with a free port, for the Node test suites
// (interop, browser). test.sh builds the server first; PARLEY_SERVER_DLL overrides the path.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function serverDll() {
  if (process.env.PARLEY_SERVER_DLL) return process.env.PARLEY_SERVER_DLL;
  for (const config of ['Release', 'Debug']) {
    const dll = path.join(repo, 'src', 'Parley.Server', 'bin', config, 'net10.0', 'Parley.Server.dll');
    if (fs.existsSync(dll)) return dll;
  }
  throw new Error('Parley.Server.dll not found: run `dotnet build -c Release` (./test.sh does) or set PARLEY_SERVER_DLL');
}

/**
 * Starts Parley and resolves once it listens.
 * @param {string[]} args extra command-line configuration, e.g. ['--Bayeux:MaxInterval=2000']
 * @returns {Promise<{url: string, port: number, stop: () => Promise<void>, output: () => string}>}
 */
export async function startParley(args = [], { timeoutMs = 60_000 } = {}) {
  const dataDir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'parley-test-'));
  const child = spawn('dotnet', [serverDll(), '--urls', 'http://127.0.0.1:0', `--Parley:DataDirectory=${dataDir}`,
    '--Logging:LogLevel:Default=Warning', '--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information', ...args], {
    cwd: path.join(repo, 'src', 'Parley.Server'), // content root: wwwroot is found there
    env: { ...process.env, DOTNET_NOLOGO: '1', ASPNETCORE_ENVIRONMENT: 'Test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Parley did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = output.match(/Now listening on: (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Parley exited with ${code}:\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    port: Number(new URL(url).port),
    output: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => { fs.rmSync(dataDir, { recursive: true, force: true }); resolve(); });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }),
  };
}
