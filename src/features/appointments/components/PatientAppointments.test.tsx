import type { Appointment } from 'fhir/r4';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClinicDays } from '../../../../domain/clinicTime';
import {
  createWorld,
  FHIR_BASE,
  fhirHandlers,
  fhirJson,
  nextWeek,
  outcome,
  slotAt,
  storeBooking,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import { PatientAppointments } from './PatientAppointments';

let world: FhirWorld;
let puts: Array<{ body: Appointment; ifMatch: string | null }>;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  puts = [];
  server.use(...fhirHandlers(world));
  const participants = [
    { actor: { reference: 'Patient/pat-1' }, status: 'accepted' as const },
    { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' as const },
    { actor: { reference: 'Location/loc-1', display: 'Ponsonby Family Health' }, status: 'accepted' as const },
  ];
  const upcoming = slotAt(addClinicDays(nextWeek(), 1), '09:00', 'slot-a');
  storeBooking(
    world,
    {
      resourceType: 'Appointment',
      status: 'proposed',
      start: upcoming.start,
      slot: [{ reference: 'Slot/slot-a' }],
      participant: participants,
    },
    'appt-up',
  );
  world.appointments.push({
    resourceType: 'Appointment',
    id: 'appt-past',
    status: 'fulfilled',
    start: '2025-03-03T09:00:00+13:00',
    end: '2025-03-03T09:15:00+13:00',
    participant: participants,
    meta: { versionId: '1' },
  });
  // Someone else's edit since the list was read: the PUT must carry the version read just before it.
  world.appointments[0].meta = { versionId: '2' };
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function answerPutsWith(answer: (body: Appointment) => Response) {
  server.use(
    http.put(`${FHIR_BASE}/Appointment/:id`, async ({ request }) => {
      const body = (await request.json()) as Appointment;
      puts.push({ body, ifMatch: request.headers.get('If-Match') });
      return answer(body);
    }),
  );
}

async function confirmCancel(user: ReturnType<typeof userEvent.setup>) {
  const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
  await user.click(within(upcoming).getByRole('button', { name: /^Cancel/ }));
  const dialog = await screen.findByRole('dialog', { name: 'Cancel this appointment?' });
  await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
  return dialog;
}

describe('PatientAppointments', () => {
  it('lists upcoming and past appointments with time, practitioner, location and status', async () => {
    renderApp(<PatientAppointments patientId="pat-1" />);
    const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
    expect(within(upcoming).getByRole('listitem')).toHaveTextContent(/9:00 am to 9:15 am NZ[DS]T/);
    expect(within(upcoming).getByRole('listitem')).toHaveTextContent('Dr Mere Parata · Ponsonby Family Health');
    expect(within(upcoming).getByRole('listitem')).toHaveTextContent('Booked');
    const past = screen.getByRole('list', { name: /Past appointments/ });
    expect(within(past).getByRole('listitem')).toHaveTextContent('Attended');
    expect(within(past).queryByRole('button', { name: /^Cancel/ })).toBeNull();
  });

  it('cancels by reading the latest version and PUTting only the status with If-Match, then refreshes the list', async () => {
    const user = userEvent.setup();
    answerPutsWith((body) => {
      const stored = { ...body, meta: { versionId: '3' } };
      world.appointments[0] = stored;
      return fhirJson(stored);
    });
    renderApp(<PatientAppointments patientId="pat-1" />);
    const dialog = await confirmCancel(user);

    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(puts).toHaveLength(1);
    expect(puts[0].ifMatch).toBe('W/"2"');
    expect(puts[0].body).toMatchObject({ id: 'appt-up', status: 'cancelled', slot: [{ reference: 'Slot/slot-a' }] });
    const cancelled = await screen.findByRole('list', { name: /Cancelled appointments/ });
    expect(within(cancelled).getByRole('listitem')).toHaveTextContent('Cancelled');
    expect(screen.getByRole('heading', { name: 'Upcoming appointments (0)' })).toBeInTheDocument();
    expect(screen.getByRole('status', { hidden: true })).toHaveTextContent('is cancelled');
    expect(world.requests.some((request) => request.includes('$cancel'))).toBe(false);
  });

  it('counts only appointments still going ahead as upcoming, and lists cancelled ones under their own heading', async () => {
    world.appointments.push({
      ...world.appointments[0],
      id: 'appt-gone',
      status: 'cancelled',
      cancelationReason: { text: 'Rescheduled' },
    });
    renderApp(<PatientAppointments patientId="pat-1" />);
    expect(await screen.findByRole('heading', { name: 'Upcoming appointments (1)' })).toBeInTheDocument();
    const cancelled = screen.getByRole('list', { name: /Cancelled appointments/ });
    expect(within(cancelled).getByRole('listitem')).toHaveTextContent('Rescheduled');
    expect(within(cancelled).queryByRole('button')).toBeNull();
  });

  it('with $cancel declared, asks for a reason (and a note for "Other") and sends them as Parameters', async () => {
    const user = userEvent.setup();
    world.operations = ['cancel'];
    const sent: unknown[] = [];
    server.use(
      http.post(`${FHIR_BASE}/Appointment/:id/$cancel`, async ({ request, params }) => {
        sent.push({ id: params.id, body: await request.json() });
        world.appointments[0] = { ...world.appointments[0], status: 'cancelled', meta: { versionId: '3' } };
        return fhirJson(world.appointments[0]);
      }),
    );
    renderApp(<PatientAppointments patientId="pat-1" />);
    const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
    await user.click(within(upcoming).getByRole('button', { name: /^Cancel/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel this appointment?' });
    const reason = within(dialog).getByRole('combobox', { name: 'Reason' });
    await waitFor(() => expect(reason).toHaveAccessibleDescription('Kept with the appointment.'));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    expect(reason).toHaveAccessibleDescription(/Choose why the appointment is cancelled\./);
    expect(reason).toHaveFocus();
    expect(
      within(reason)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual([
      'Choose a reason',
      'Patient request',
      'Practitioner unavailable',
      'Booked in error',
      'Other (say why in a note)',
    ]);

    await user.selectOptions(reason, 'Other (say why in a note)');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    const note = within(dialog).getByRole('textbox', { name: 'Note' });
    expect(note).toHaveFocus();
    expect(note).toHaveAccessibleDescription(/"Other" needs a few words/);
    expect(sent).toEqual([]);

    await user.type(note, 'Moving to Dunedin');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(sent).toEqual([
      {
        id: 'appt-up',
        body: {
          resourceType: 'Parameters',
          parameter: [
            {
              name: 'reason',
              valueCoding: {
                system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
                code: 'other',
                display: 'Other',
              },
            },
            { name: 'note', valueString: 'Moving to Dunedin' },
          ],
        },
      },
    ]);
    expect(puts).toEqual([]);
    expect(await screen.findByRole('list', { name: /Cancelled appointments/ })).toBeInTheDocument();
  });

  it("a patient cancelling their own is not offered the desk's reasons: theirs is sent as the patient's", async () => {
    const user = userEvent.setup();
    world.operations = ['cancel'];
    const sent: unknown[] = [];
    server.use(
      http.post(`${FHIR_BASE}/Appointment/:id/$cancel`, async ({ request }) => {
        sent.push(await request.json());
        return fhirJson({ ...world.appointments[0], status: 'cancelled' });
      }),
    );
    renderApp(<PatientAppointments patientId="pat-1" byPatient />);
    const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
    expect(within(upcoming).queryByRole('button', { name: /^Reschedule/ })).toBeNull();
    await user.click(within(upcoming).getByRole('button', { name: /^Cancel/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel this appointment?' });
    expect(within(dialog).queryByRole('combobox', { name: 'Reason' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(sent).toEqual([
      {
        resourceType: 'Parameters',
        parameter: [
          {
            name: 'reason',
            valueCoding: {
              system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
              code: 'pat',
              display: 'Patient',
            },
          },
        ],
      },
    ]);
  });

  it('explains a 412 instead of swallowing it', async () => {
    const user = userEvent.setup();
    answerPutsWith(() =>
      outcome(412, [{ code: 'conflict', diagnostics: 'The appointment has changed since version 2.' }]),
    );
    renderApp(<PatientAppointments patientId="pat-1" />);
    const dialog = await confirmCancel(user);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Someone else changed this appointment while you were looking at it');
    expect(alert).toHaveTextContent('The appointment has changed since version 2.');
  });

  it('explains a 422 in the server’s words', async () => {
    const user = userEvent.setup();
    answerPutsWith(() =>
      outcome(422, [
        {
          code: 'business-rule',
          diagnostics: 'This appointment is already cancelled.',
          expression: ['Appointment.status'],
        },
      ]),
    );
    renderApp(<PatientAppointments patientId="pat-1" />);
    const dialog = await confirmCancel(user);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The server refused to cancel this appointment.');
    expect(alert).toHaveTextContent('This appointment is already cancelled.');
  });
});
