/**
 * `npm start` once the store is open: the demo data and accounts, the HTTP server, listening, and
 * the email sender. A module of its own so that start.ts can load it (Fastify, its plugins and the
 * routes) while the database opens.
 */
import { ensureDemoAccounts } from '../auth/demoAccounts';
import { SqlAuthStore } from '../auth/authStore';
import { signInHelp } from '../auth/signInHelp';
import type { ServerConfig } from './config';
import { ensureDemoData } from '../demo/ensureDemoData';
import { buildServer } from '../http/buildServer';
import type { OpenedStore } from '../storage/openStore';
import { SqlOutbox } from '../storage/outbox';
import { runUntilSignalled } from './lifecycle';

/** The demo data (seeded, or its free slots topped up to the horizon) and the demo sign-ins. */
async function ensureDemo(opened: OpenedStore, authStore: SqlAuthStore, config: ServerConfig) {
  const report = await ensureDemoData(opened.store, config.timeZone, new Date());
  if (report.seeded) console.log(`Created demo data (${report.resourcesAdded} resources) in ${opened.description}.`);
  else if (report.resourcesAdded > 0)
    console.log(`Added ${report.resourcesAdded} free slots to keep ${opened.description} 8 weeks ahead.`);
  return ensureDemoAccounts(authStore, opened.store, { staffPassword: config.demoStaffPassword });
}

export async function serve(opened: OpenedStore, config: ServerConfig, staticDir: string): Promise<void> {
  const authStore = new SqlAuthStore(opened.sql);
  const outbox = new SqlOutbox(opened.sql);
  // Replicas starting together on one PostgreSQL take turns here: the first seeds the demo data,
  // creates the accounts and the signing key (in buildServer); the others then find them made.
  // This thread puts the HTTP server together while the database tops up the demo data.
  const [accounts, app] = await opened.settingUp(() =>
    Promise.all([
      ensureDemo(opened, authStore, config),
      buildServer({
        store: opened.store,
        timeZone: config.timeZone,
        staticDir,
        publicBaseUrl: config.publicBaseUrl,
        appConfig: { fhirBaseUrl: config.appFhirBaseUrl, facilityId: config.facilityId, timeZone: config.timeZone },
        logLevel: process.env.LOG_LEVEL ?? 'warn',
        auth: {
          store: authStore,
          staffClient: config.staffClient,
          redirectOrigins: config.smartRedirectOrigins,
          redirectUris: config.smartRedirectUris,
          smartClients: config.smartClients,
        },
        corsOrigins: config.corsOrigins,
        practiceRules: config.practiceRules,
        outbox,
        mailSending: config.mail.smtpUrl !== undefined,
        reminderHoursBefore: config.mail.reminderHoursBefore,
        trustedProxies: config.trustedProxies,
      }),
    ]),
  );
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Appointments app: ${address}/  FHIR API: ${address}/fhir  (store: ${opened.description})`);
  for (const line of await signInHelp(opened.store, accounts, {
    staffPassword: config.demoStaffPassword,
    staffClientId: config.staffClient?.id ?? null,
  }))
    console.log(line);
  const { smtpUrl, from, leaseMs } = config.mail;
  // nodemailer and the calendar files load only where mail is sent: a start without SMTP need not wait for them.
  const sender =
    smtpUrl && from
      ? new (await import('../mail/mailSender')).MailSender({ outbox, smtpUrl, from, leaseMs })
      : undefined;
  sender?.start();
  console.log(
    sender
      ? `Email: sending confirmations and reminders from ${from?.address} through ${new URL(smtpUrl as string).host}.`
      : 'Email: SMTP_URL is not set, so confirmations and reminders stay in the outbox (staff see them on the Messages page).',
  );
  await runUntilSignalled(app, opened, sender ? [sender] : []);
}
