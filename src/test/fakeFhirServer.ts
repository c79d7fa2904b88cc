/**
 * The msw FHIR server the booking tests share: a fresh FhirWorld before each test, and every
 * Appointment a test lets through `answerPostsWith` recorded in `posted`.
 */
import type { Appointment } from 'fhir/r4';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createWorld, FHIR_BASE, fhirHandlers, type FhirWorld } from './fhirFixtures';

export function setUpFakeFhirServer() {
  const server = setupServer();
  let world: FhirWorld = createWorld();
  let posted: Appointment[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    world = createWorld();
    posted = [];
    server.use(...fhirHandlers(world));
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return {
    server,
    /** This test's world: a new one before each test. */
    get world() {
      return world;
    },
    /** What this test POSTed to Appointment, in order. */
    get posted() {
      return posted;
    },
    /** Answers each POST of an Appointment with `answer`, after recording it. */
    answerPostsWith(answer: (proposed: Appointment, request: Request) => Response | Promise<Response>) {
      server.use(
        http.post(`${FHIR_BASE}/Appointment`, async ({ request }) => {
          const proposed = (await request.clone().json()) as Appointment;
          posted.push(proposed);
          return answer(proposed, request);
        }),
      );
    },
  };
}
