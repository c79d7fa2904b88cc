/**
 * What the config and the journeys share about the server under test. The machine client exists only
 * in this test run's server, so its secret guards nothing real.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8391);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_STAFF_CLIENT = { id: 'e2e-journeys', secret: 'e2e-journeys-only-not-a-real-secret' } as const;
