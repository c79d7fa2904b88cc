import type { Location } from 'fhir/r4';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClinicDays } from '../../../../domain/clinicTime';
import { CHANGE_CUTOFF_CODING } from '../../../../domain/practiceRules';
import {
  createWorld,
  FHIR_BASE,
  fhirHandlers,
  fhirJson,
  nextWeek,
  practitioner,
  searchset,
  slotAt,
  storeBooking,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import MyAppointmentsScreen from './MyAppointmentsScreen';

const clinic: Location = {
  resourceType: 'Location',
  id: 'loc-1',
  name: 'Ponsonby Family Health',
  telecom: [{ system: 'phone', value: '09 376 5120' }],
};
const TOO_LATE =
  'Appointments can only be cancelled or changed online until 2 hours before the start: please phone the clinic.';

let world: FhirWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  world.operations = ['reschedule', 'cancel'];
  storeBooking(
    world,
    {
      resourceType: 'Appointment',
      status: 'proposed',
      start: slotAt(addClinicDays(nextWeek(), 1), '09:00', 'slot-a').start,
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
        { actor: { reference: 'Location/loc-1' }, status: 'accepted' },
      ],
    },
    'appt-1',
  );
  // The server's clock is past the cut-off, whatever the page thinks: it refuses the move, coded, naming its parameter.
  server.use(
    http.get(`${FHIR_BASE}/Appointment`, () => fhirJson(searchset(world.appointments, [practitioner, clinic]))),
    http.post(`${FHIR_BASE}/Appointment/:id/$reschedule`, () =>
      fhirJson(
        {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'business-rule',
              diagnostics: TOO_LATE,
              expression: ["Parameters.parameter.where(name = 'slot')"],
              details: { coding: [CHANGE_CUTOFF_CODING] },
            },
          ],
        },
        { status: 422 },
      ),
    ),
    ...fhirHandlers(world),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('MyAppointmentsScreen', () => {
  it("a move the server refuses for the cut-off says why in the patient's words, with the number to phone, and nothing is left to choose", async () => {
    const user = userEvent.setup();
    renderApp(<MyAppointmentsScreen patientId="pat-1" />, { url: '/my' });
    const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
    await user.click(within(upcoming).getByRole('button', { name: /^Reschedule/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Reschedule this appointment' });
    await user.click(await within(dialog).findByRole('button', { name: 'Next week' }));
    const slots = await within(dialog).findByRole('radiogroup', { name: /Free slots/ });
    await user.click(within(slots).getByRole('radio', { name: /^9:15 am/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(`It is too late to change this appointment online. ${TOO_LATE}`);
    expect(within(alert).getByRole('link', { name: '09 376 5120' })).toHaveAttribute('href', 'tel:093765120');
    expect(within(dialog).queryByRole('button', { name: 'Move appointment' })).toBeNull();
    expect(within(dialog).queryByRole('radiogroup', { name: /Free slots/ })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    const item = within(upcoming).getByRole('listitem');
    expect(item).toHaveTextContent('Phone Ponsonby Family Health on 09 376 5120.');
    expect(within(item).queryByRole('button', { name: /^(Reschedule|Cancel)/ })).toBeNull();
    expect(within(item).getByRole('button', { name: /^Add to calendar/ })).toBeInTheDocument();
  });
});
