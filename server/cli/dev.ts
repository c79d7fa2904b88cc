/**
 * `npm run dev`: the FHIR server on DEV_API_PORT (8081) and Vite's dev server with hot reload,
 * which proxies /fhir to it (vite.config.ts). Stopping one stops both.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const apiPort = process.env.DEV_API_PORT ?? '8081';

// tsx as a loader in the server's own process, so a signal to it reaches the server itself.
const api = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'cli', 'start.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORT: apiPort, SKIP_APP_BUILD: '1' },
});
const vite = spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DEV_API_PORT: apiPort },
});

for (const child of [api, vite]) {
  child.on('exit', (code) => {
    for (const other of [api, vite]) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? 0;
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    api.kill(signal);
    vite.kill(signal);
  });
}
