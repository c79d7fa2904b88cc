/**
 * A SMART app nobody here wrote, as a browser meets it: SMART Health IT's fhirclient (its browser
 * build, unchanged) on two small pages (smartLauncher/: launch.html starts the launch, app.html is
 * the redirect page), served from their own origin on 127.0.0.1 by a static server the test starts.
 * The server under test knows the app from the SMART_CLIENTS_FILE written here.
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../server/test/childServer';

export const LAUNCHER_CLIENT_ID = 'smart-test-launcher';
export const LAUNCHER_CLIENT_NAME = 'SMART test launcher';

const FILES: Record<string, { path: string; type: string }> = {
  '/launch.html': { path: join(import.meta.dirname, 'smartLauncher', 'launch.html'), type: 'text/html' },
  '/app.html': { path: join(import.meta.dirname, 'smartLauncher', 'app.html'), type: 'text/html' },
  '/app.js': { path: join(import.meta.dirname, 'smartLauncher', 'app.js'), type: 'text/javascript' },
  '/fhir-client.js': {
    path: join(REPO_ROOT, 'node_modules', 'fhirclient', 'build', 'fhir-client.js'),
    type: 'text/javascript',
  },
};

export interface SmartLauncher {
  origin: string;
  /** Where the app is registered to take the sign-in answer. */
  redirectUri: string;
  /** The SMART_CLIENTS_FILE that registers it: a public client (PKCE, no secret). */
  clientsFile: string;
  stop(): Promise<void>;
}

export async function startSmartLauncher(dir: string): Promise<SmartLauncher> {
  const server: Server = createServer((request, response) => {
    const file = FILES[new URL(request.url ?? '/', 'http://launcher').pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': `${file.type}; charset=utf-8`, 'cache-control': 'no-store' });
    createReadStream(file.path).pipe(response);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${origin}/app.html`;
  mkdirSync(dir, { recursive: true });
  const clientsFile = join(dir, 'smart-clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify([
      {
        client_id: LAUNCHER_CLIENT_ID,
        client_name: LAUNCHER_CLIENT_NAME,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      },
    ]),
  );
  return {
    origin,
    redirectUri,
    clientsFile,
    stop: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
