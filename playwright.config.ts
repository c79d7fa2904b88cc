import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_BASE_URL, E2E_PORT, E2E_STAFF_CLIENT } from './e2e/support/environment';
import { DESK_ONLY, PHONE_ONLY } from './e2e/support/projects';

// Debian's Chromium where it is installed (this project's machines), else Playwright's own
// (`npx playwright install chromium`). CHROMIUM_PATH overrides both.
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// Every run starts the real server on a fresh data directory: prepareDataDir empties this one first,
// so runs leave at most one behind (in the git-ignored .tmp/) rather than one each.
const dataDir = join(import.meta.dirname, '.tmp', 'e2e-data');
const tsx = 'node node_modules/tsx/dist/cli.mjs';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    {
      name: 'desk',
      grepInvert: new RegExp(PHONE_ONLY),
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } },
    },
    {
      name: 'phone',
      grepInvert: new RegExp(DESK_ONLY),
      use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: false },
    },
  ],
  webServer: {
    // The demo data (and the one patient the API cannot create) go into the empty DATA_DIR first, then
    // the server starts on it as `npm start` does. webServer starts before globalSetup, hence here.
    command: `${tsx} e2e/support/prepareDataDir.ts && exec ${tsx} server/cli/start.ts`,
    url: `${E2E_BASE_URL}/fhir/metadata`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SKIP_APP_BUILD: '1',
      LOG_LEVEL: 'warn',
      // The journeys' API helper signs in as this machine client (client_credentials).
      STAFF_CLIENT_ID: E2E_STAFF_CLIENT.id,
      STAFF_CLIENT_SECRET: E2E_STAFF_CLIENT.secret,
    },
  },
});
