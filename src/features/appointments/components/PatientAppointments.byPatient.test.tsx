import type { Appointment, Location } from 'fhir/r4';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_CUTOFF_CODING } from '../../../../domain/practiceRules';
import { REPLACES_URL, RESCHEDULED_TO_URL } from '../../../../domain/extensions';
import {
  createWorld,
  FHIR_BASE,
  fhirHandlers,
  fhirJson,
  practitioner,
  searchset,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { renderApp, testConfig } from '../../../test/renderApp';
import { PatientAppointments } from './PatientAppointments';

const clinic: Location = {
  resourceType: 'Location',
  id: 'loc-1',
  name: 'Ponsonby Family Health',
  telecom: [{ system: 'phone', value: '09 555 0101' }],
  address: { line: ['12 Richmond Road', 'Ponsonby'], city: 'Auckland', postalCode: '1021' },
};
const TOO_LATE =
  'Appointments can only be cancelled or changed online until 2 hours before the start: please phone the clinic.';

function appointment(
  id: string,
  status: Appointment['status'],
  startsInMinutes: number,
  extra: Partial<Appointment> = {},
): Appointment {
  const start = new Date(Date.now() + startsInMinutes * 60_000);
  return {
    resourceType: 'Appointment',
    id,
    status,
    start: start.toISOString(),
    end: new Date(start.getTime() + 15 * 60_000).toISOString(),
    participant: [
      { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
      { actor: { reference: 'Location/loc-1' }, status: 'accepted' },
    ],
    meta: { versionId: '1' },
    ...extra,
  };
}

let world: FhirWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  world.appointments = [
    appointment('appt-soon', 'booked', 60),
    appointment('appt-first', 'cancelled', 3 * 24 * 60, {
      cancelationReason: { text: 'Rescheduled' },
      extension: [{ url: RESCHEDULED_TO_URL, valueReference: { reference: 'Appointment/appt-later' } }],
    }),
    appointment('appt-later', 'booked', 4 * 24 * 60, {
      extension: [{ url: REPLACES_URL, valueReference: { reference: 'Appointment/appt-first' } }],
    }),
    appointment('appt-gone', 'cancelled', 5 * 24 * 60),
    appointment('appt-seen', 'fulfilled', -7 * 24 * 60),
  ];
  // Handlers given first answer first: the search brings the clinic's Location, as _include does.
  server.use(
    http.get(`${FHIR_BASE}/Appointment`, () => fhirJson(searchset(world.appointments, [practitioner, clinic]))),
    ...fhirHandlers(world),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function soonItem(): HTMLElement {
  const upcoming = screen.getByRole('list', { name: /Upcoming appointments/ });
  return within(upcoming).getAllByRole('listitem')[0];
}

describe("PatientAppointments, the patient's own", () => {
  it('counts only booked ones still to come as upcoming; cancelled and past ones are apart', async () => {
    renderApp(<PatientAppointments patientId="pat-1" byPatient renderReschedule={() => null} />);
    expect(await screen.findByRole('heading', { name: 'Upcoming appointments (2)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Past appointments (1)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Cancelled appointments (2)' })).toBeInTheDocument();
    const cancelled = screen.getByRole('list', { name: /Cancelled appointments/ });
    expect(within(cancelled).queryByRole('button')).toBeNull();
    expect(within(screen.getByRole('list', { name: /Past appointments/ })).queryByRole('button')).toBeNull();
  });

  it("inside the cut-off says so with the clinic's number instead of Reschedule and Cancel; before it offers both", async () => {
    renderApp(<PatientAppointments patientId="pat-1" byPatient renderReschedule={() => null} />);
    await screen.findByRole('heading', { name: 'Upcoming appointments (2)' });
    const soon = soonItem();
    expect(soon).toHaveTextContent(TOO_LATE);
    expect(within(soon).getByRole('link', { name: '09 555 0101' })).toHaveAttribute('href', 'tel:095550101');
    expect(soon).toHaveTextContent('Phone Ponsonby Family Health on 09 555 0101.');
    expect(within(soon).queryByRole('button', { name: /^(Reschedule|Cancel)/ })).toBeNull();
    expect(within(soon).getByRole('button', { name: /^Add to calendar/ })).toBeInTheDocument();

    const upcoming = screen.getByRole('list', { name: /Upcoming appointments/ });
    expect(within(upcoming).getAllByRole('button', { name: /^Reschedule/ })).toHaveLength(1);
    expect(within(upcoming).getAllByRole('button', { name: /^Cancel/ })).toHaveLength(1);
  });

  it('at the desk, inside the cut-off, keeps Reschedule and Cancel and notes the cut-off', async () => {
    renderApp(<PatientAppointments patientId="pat-1" renderReschedule={() => null} />);
    await screen.findByRole('heading', { name: 'Upcoming appointments (2)' });
    const soon = soonItem();
    expect(soon).toHaveTextContent("Past the patients' online cut-off: only the clinic can change it now.");
    expect(within(soon).getByRole('button', { name: /^Reschedule/ })).toBeInTheDocument();
    expect(within(soon).getByRole('button', { name: /^Cancel/ })).toBeInTheDocument();
    expect(within(soon).queryByRole('button', { name: /^Add to calendar/ })).toBeNull();
  });

  it("not knowing the cut-off, shows the server's refusal in the patient's words with the number, and the buttons give way to it", async () => {
    const user = userEvent.setup();
    server.use(
      http.put(`${FHIR_BASE}/Appointment/:id`, () =>
        fhirJson(
          {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'business-rule',
                diagnostics: TOO_LATE,
                expression: ['Appointment.start'],
                details: { coding: [CHANGE_CUTOFF_CODING] },
              },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    renderApp(<PatientAppointments patientId="pat-1" byPatient />, {
      config: { ...testConfig, patientChangeCutoffMinutes: null },
    });
    await screen.findByRole('heading', { name: 'Upcoming appointments (2)' });
    await user.click(within(soonItem()).getByRole('button', { name: /^Cancel/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel this appointment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(`It is too late to cancel online. ${TOO_LATE}`);
    expect(alert).toHaveTextContent('Phone Ponsonby Family Health on 09 555 0101.');
    expect(alert).not.toHaveTextContent(/refused|422/);
    expect(within(dialog).queryByRole('button', { name: 'Cancel appointment' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    const soon = soonItem();
    expect(within(soon).queryByRole('button', { name: /^Cancel/ })).toBeNull();
    expect(soon).toHaveTextContent(TOO_LATE);
    await waitFor(() => expect(soon.querySelector('.phone-clinic')).toHaveFocus());
  });
});
