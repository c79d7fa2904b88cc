/**
 * For the email journeys, a world of their own: the default webServer sends no email (no SMTP_URL).
 * The journey's own SMTP server (smtp-server on 127.0.0.1, server/test/testSmtpServer.ts), and the real
 * `npm start` server as a child process (server/test/childServer.ts) on a data directory of its own
 * under .tmp, with the demo data, sending to it. The fixture stops all of it and removes the directory
 * when the test ends, passed or failed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { REPO_ROOT, spawnChildServer, type SpawnedServer } from '../../server/test/childServer';
import { startTestSmtpServer, type TestSmtpServer } from '../../server/test/testSmtpServer';
import { E2E_STAFF_CLIENT } from './environment';
import { FhirApi } from './fhirApi';
import { test as journeyTest } from './test';

/**
 * A claim's lease. nodemailer waits on the SMTP server for a quarter of it (5 s) before it gives up and
 * tries again: longer than a journey takes from a message held on the wire to the SIGKILL, so the
 * message is still unanswered when the server dies. After a restart it is sent again once the lease runs out.
 */
const LEASE_SECONDS = 20;

export interface MailWorld {
  smtp: TestSmtpServer;
  /** The app server's origin (a restart moves it to another port). */
  origin(): string;
  /** The FHIR API of the server as it is now, signed in as the journeys' machine client. */
  api(): FhirApi;
  /** SIGKILL, as a power cut would, and start again on the same data directory. */
  killAndRestart(): Promise<void>;
}

/** The .ics a message carries, unfolded into its content lines. */
export function calendarLines(mail: ParsedMail): string[] {
  const part = mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  return (part?.content.toString('utf8') ?? '').replace(/\r\n[ \t]/g, '').split('\r\n');
}

export const test = journeyTest.extend<{ mailWorld: MailWorld }>({
  mailWorld: async ({ playwright }, provide, testInfo) => {
    const dataDir = join(REPO_ROOT, '.tmp', `e2e-mail-${testInfo.project.name}-${testInfo.testId}`);
    rmSync(dataDir, { recursive: true, force: true });
    const smtp = await startTestSmtpServer();
    const env = {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Ponsonby Family Health <appointments@clinic.example.nz>',
      MAIL_LEASE_SECONDS: String(LEASE_SECONDS),
      // The journeys' machine client, so FhirApi signs in to this server as to the default one.
      STAFF_CLIENT_ID: E2E_STAFF_CLIENT.id,
      STAFF_CLIENT_SECRET: E2E_STAFF_CLIENT.secret,
    };
    let server: SpawnedServer | undefined;
    let request: APIRequestContext | undefined;
    let api: FhirApi | undefined;
    const start = async () => {
      server = await spawnChildServer({ dataDir, env, startTimeoutMs: 120_000 });
      request = await playwright.request.newContext({ baseURL: server.origin });
      api = await FhirApi.signIn(request);
    };
    try {
      await start();
      await provide({
        smtp,
        origin: () => server!.origin,
        api: () => api!,
        async killAndRestart() {
          await request?.dispose();
          await server?.kill();
          await start();
        },
      });
    } finally {
      await request?.dispose();
      await server?.stop();
      await smtp.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from './test';
