/**
 * How sign-in is set up: the demo accounts and portal codes, the configuration it reads from the
 * environment, and that the signing key (so every token) survives a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlAuthStore } from '../auth/authStore';
import { DEMO_STAFF_USERNAME, demoPortalCode, ensureDemoAccounts } from '../auth/demoAccounts';
import { signInHelp } from '../auth/signInHelp';
import { ConfigError, configFromEnv } from '../cli/config';
import { seedDemoData } from '../demo/ensureDemoData';
import { buildServer } from '../http/buildServer';
import { WELL_KNOWN } from '../seed/demoData';
import { openStore, type OpenedStore } from '../storage/openStore';
import { bearer, RECEPTION, signIn } from './authHarness';
import { spawnChildServer } from './childServer';
import { STAFF_CLIENT, STAFF_PASSWORD, machineToken } from './testServer';
import { NOW, TIME_ZONE } from './fixtures';

describe('demo sign-ins', () => {
  let opened: OpenedStore;
  let authStore: SqlAuthStore;
  beforeAll(async () => {
    opened = await openStore({ dataDir: ':memory:' });
    await seedDemoData(opened.store, { today: '2030-03-04', timeZone: TIME_ZONE, patients: 4, weeks: 1 }, NOW);
    authStore = new SqlAuthStore(opened.sql);
  });
  afterAll(async () => opened.close());

  it('creates the receptionist and a portal code for every demo patient once, and says how to sign in', async () => {
    const first = await ensureDemoAccounts(authStore, opened.store, { staffPassword: STAFF_PASSWORD });
    expect(first).toEqual({ staffCreated: true, portalCodesCreated: 4 });
    expect(await ensureDemoAccounts(authStore, opened.store, { staffPassword: 'another' })).toEqual({
      staffCreated: false,
      portalCodesCreated: 0,
    });
    const account = await authStore.findAccount(DEMO_STAFF_USERNAME);
    expect(account?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(account?.passwordHash).not.toContain(STAFF_PASSWORD);
    const help = (await signInHelp(opened.store, first, { staffPassword: 'kia-ora-2026', staffClientId: null })).join(
      '\n',
    );
    expect(help).toContain('username "reception", password "kia-ora-2026" (demo only)');
    expect(help).toContain(`NHI ${WELL_KNOWN.patient.nhi}`);
    expect(help).toContain('date of birth 19/07/1984');
    expect(help).toContain(`portal code ${demoPortalCode(WELL_KNOWN.patient.id)}`);
    expect(help).toContain('client_credentials is off');
  });

  it('derives the same portal code from the same seed, and another from another seed', () => {
    expect(demoPortalCode(WELL_KNOWN.patient.id)).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(demoPortalCode(WELL_KNOWN.patient.id)).toBe(demoPortalCode(WELL_KNOWN.patient.id));
    expect(demoPortalCode(WELL_KNOWN.patient.id, 1)).not.toBe(demoPortalCode(WELL_KNOWN.patient.id));
    expect(demoPortalCode('pat-00002')).not.toBe(demoPortalCode(WELL_KNOWN.patient.id));
  });

  it('lets Aroha Ngata sign in with the code the start-up message names', async () => {
    await ensureDemoAccounts(authStore, opened.store, { staffPassword: STAFF_PASSWORD });
    const app = await buildServer({
      store: opened.store,
      timeZone: TIME_ZONE,
      now: () => NOW,
      auth: { store: authStore, staffClient: null, redirectOrigins: [] },
    });
    try {
      const aroha = await opened.store.read<Patient>('Patient', WELL_KNOWN.patient.id);
      const { tokens } = await signIn(app, {
        patient: {
          nhi: WELL_KNOWN.patient.nhi,
          birthDate: aroha?.birthDate as string,
          portalCode: demoPortalCode(WELL_KNOWN.patient.id),
        },
      });
      expect(tokens.patient).toBe(WELL_KNOWN.patient.id);
      const appointments = await app.inject({
        url: '/fhir/Appointment?_count=1000',
        headers: bearer(tokens.access_token),
      });
      expect(appointments.json().total).toBeGreaterThan(0);
      expect(appointments.body).not.toContain('"reference":"Patient/pat-00002"');
      await signIn(app, { staff: RECEPTION });
    } finally {
      await app.close();
    }
  });
});

describe('tokens across a restart', () => {
  it('are still valid: the signing key is kept in the database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-auth-'));
    const start = async () => {
      const opened = await openStore({ dataDir });
      const authStore = new SqlAuthStore(opened.sql);
      const app = await buildServer({
        store: opened.store,
        timeZone: TIME_ZONE,
        now: () => NOW,
        auth: { store: authStore, staffClient: STAFF_CLIENT, redirectOrigins: [] },
      });
      return { opened, app };
    };
    try {
      const first = await start();
      const token = await machineToken(first.app);
      const keys = (await first.app.inject({ url: '/auth/jwks' })).json();
      await first.app.close();
      await first.opened.close();
      const second = await start();
      try {
        expect((await second.app.inject({ url: '/auth/jwks' })).json()).toEqual(keys);
        expect((await second.app.inject({ url: '/fhir/Slot', headers: bearer(token) })).statusCode).toBe(200);
      } finally {
        await second.app.close();
        await second.opened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sign-in configuration from the environment', () => {
  it('turns client_credentials on only with both STAFF_CLIENT_ID and a long enough STAFF_CLIENT_SECRET', () => {
    expect(configFromEnv({}).staffClient).toBeNull();
    expect(
      configFromEnv({ STAFF_CLIENT_ID: 'integration', STAFF_CLIENT_SECRET: 'a-secret-of-enough-length' }).staffClient,
    ).toEqual({ id: 'integration', secret: 'a-secret-of-enough-length' });
    expect(() => configFromEnv({ STAFF_CLIENT_ID: 'integration' })).toThrow(ConfigError);
    expect(() => configFromEnv({ STAFF_CLIENT_ID: 'integration', STAFF_CLIENT_SECRET: 'short' })).toThrow(
      /at least 16/,
    );
  });

  it('reads SMART_REDIRECT_ORIGINS as a list of origins and refuses anything else', () => {
    expect(
      configFromEnv({ SMART_REDIRECT_ORIGINS: 'https://app.example.org, http://localhost:5173' }).smartRedirectOrigins,
    ).toEqual(['https://app.example.org', 'http://localhost:5173']);
    expect(() => configFromEnv({ SMART_REDIRECT_ORIGINS: 'https://app.example.org/path' })).toThrow(ConfigError);
    expect(() => configFromEnv({ SMART_REDIRECT_ORIGINS: 'app.example.org' })).toThrow(ConfigError);
  });

  it('reads SMART_CLIENTS_FILE, and a server given a bad one does not start but says what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-clients-'));
    try {
      const file = join(dir, 'clients.json');
      const client = { client_id: 'growth-chart', redirect_uris: ['https://apps.example.org/growth/'] };
      writeFileSync(file, JSON.stringify([{ ...client, token_endpoint_auth_method: 'none' }]));
      expect(configFromEnv({ SMART_CLIENTS_FILE: file }).smartClients).toEqual([
        { id: 'growth-chart', name: 'growth-chart', secret: null, redirectUris: client.redirect_uris },
      ]);
      expect(() => configFromEnv({ SMART_CLIENTS_FILE: join(dir, 'missing.json') })).toThrow(/cannot be read/);
      writeFileSync(file, JSON.stringify([client]));
      const refused = spawnChildServer({ dataDir: join(dir, 'data'), env: { SMART_CLIENTS_FILE: file } });
      await expect(refused).rejects.toThrow(
        /exited \(1\)[\s\S]*"growth-chart": client_secret_basic needs a client_secret of at least 16 characters/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses DEMO_STAFF_PASSWORD for the demo receptionist when set', () => {
    expect(configFromEnv({}).demoStaffPassword).toBe('kia-ora-2026');
    expect(configFromEnv({ DEMO_STAFF_PASSWORD: 'something-else' }).demoStaffPassword).toBe('something-else');
  });
});
