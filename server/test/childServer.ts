/**
 * The real `npm start` server as a child process, for what an in-process server cannot show:
 * SIGKILL in the middle of writes, cold start, load from another process. It listens on
 * 127.0.0.1 on a port the OS picks (PORT=0) and says which in its start-up line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  pid: number;
  process: ChildProcess;
  /** Milliseconds from spawn to the start-up line (the server is listening). */
  startedInMs: number;
  /** Headers every FHIR request needs: JSON, and a system access token when the server asks for one. */
  headers: Record<string, string>;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  /** SIGKILL: no clean-up, as a power cut or the OOM killer would. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the clean exit. */
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once('exit', () => done()));
}

/** The staff machine client the child servers are started with, for client_credentials. */
const STAFF_CLIENT = { id: 'child-server-tests', secret: 'child-server-tests-secret-0123456789' };
const FHIR_JSON = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };

/** A system token by client_credentials, or none when the server has no token endpoint (auth off). */
async function systemHeaders(origin: string): Promise<Record<string, string>> {
  const response = await fetch(`${origin}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: STAFF_CLIENT.id,
      client_secret: STAFF_CLIENT.secret,
    }).toString(),
  });
  if (response.status === 404) return FHIR_JSON;
  if (!response.ok) throw new Error(`client_credentials token: ${response.status} ${await response.text()}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return { ...FHIR_JSON, authorization: `Bearer ${token}` };
}

export type SpawnedServer = Omit<ChildServer, 'headers'>;

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  return withSystemToken(await spawnChildServer(options));
}

export async function withSystemToken(server: SpawnedServer): Promise<ChildServer> {
  return { ...server, headers: await systemHeaders(server.origin) };
}

/** Starts the server and resolves once it is listening, before any request has been made. */
export function spawnChildServer(options: ChildServerOptions): Promise<SpawnedServer> {
  const started = performance.now();
  // `npm start`'s own command, without npm: the server compiled ahead (compiled first if a source
  // changed), in the child's own process, so the pid is the server's: signals and RSS reach it.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(REPO_ROOT, 'server/cli/launch.mjs')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SKIP_APP_BUILD: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      STAFF_CLIENT_ID: STAFF_CLIENT.id,
      STAFF_CLIENT_SECRET: STAFF_CLIENT.secret,
      ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));
  return new Promise((resolveStarted, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code ?? signal}) before it was listening:\n${output}`));
    });
    let listening = false;
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      if (listening) return;
      const origin = /Appointments app: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      if (!origin || child.pid === undefined) return;
      listening = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveStarted({
        origin,
        pid: child.pid,
        process: child,
        startedInMs: performance.now() - started,
        output: () => output,
        async kill() {
          child.kill('SIGKILL');
          await exited(child);
        },
        async stop() {
          child.kill('SIGTERM');
          await exited(child);
        },
      });
    });
  });
}

/** Resident memory of a process now, in bytes (Linux), or undefined once it has gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
