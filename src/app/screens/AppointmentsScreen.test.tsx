import type { Appointment } from 'fhir/r4';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClinicDays } from '../../../domain/clinicTime';
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
} from '../../test/fhirFixtures';
import { renderApp } from '../../test/renderApp';
import { AppointmentsScreen } from './AppointmentsScreen';

let world: FhirWorld;
let posted: Appointment[];
let puts: Appointment[];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  posted = [];
  puts = [];
  server.use(...fhirHandlers(world));
  const start = slotAt(addClinicDays(nextWeek(), 1), '09:00', 'slot-a').start;
  storeBooking(
    world,
    {
      resourceType: 'Appointment',
      status: 'proposed',
      start,
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1', display: 'Aroha Ngata' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
        { actor: { reference: 'Location/loc-1', display: 'Ponsonby Family Health' }, status: 'accepted' },
      ],
    },
    'appt-old',
  );
  server.use(
    http.post(`${FHIR_BASE}/Appointment`, async ({ request }) => {
      const proposed = (await request.json()) as Appointment;
      posted.push(proposed);
      return fhirJson(storeBooking(world, proposed, 'appt-new'), { status: 201 });
    }),
    http.put(`${FHIR_BASE}/Appointment/:id`, async ({ request }) => {
      const body = (await request.json()) as Appointment;
      puts.push(body);
      world.appointments = world.appointments.map((found) =>
        found.id === body.id ? { ...body, meta: { versionId: '2' } } : found,
      );
      return fhirJson(body);
    }),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function openReschedule(user: ReturnType<typeof userEvent.setup>) {
  renderApp(<AppointmentsScreen />, { url: '/appointments?patient=pat-1' });
  const upcoming = await screen.findByRole('list', { name: /Upcoming appointments/ });
  await user.click(within(upcoming).getByRole('button', { name: /^Reschedule/ }));
  const dialog = await screen.findByRole('dialog', { name: 'Reschedule this appointment' });
  // Same practitioner by default: their free times are offered at once.
  expect(within(dialog).getByRole('searchbox', { name: 'Practitioner' })).toHaveValue('Dr Mere Parata');
  await user.click(await within(dialog).findByRole('button', { name: 'Next week' }));
  return dialog;
}

async function chooseTime(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, time: RegExp) {
  const slots = await within(dialog).findByRole('radiogroup', { name: /Free slots/ });
  await user.click(within(slots).getByRole('radio', { name: time }));
  await waitFor(() =>
    expect(within(dialog).getByText('New time').nextElementSibling).toHaveTextContent(/with Dr Mere Parata/),
  );
}

describe('rescheduling from the patient’s list', () => {
  it('without $reschedule books the new time, then cancels the old, and says where it is now', async () => {
    const user = userEvent.setup();
    const dialog = await openReschedule(user);
    await chooseTime(user, dialog, /^9:15 am/);
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));

    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      status: 'proposed',
      start: world.slots[1].start,
      slot: [{ reference: 'Slot/slot-b' }],
      participant: [
        { actor: { reference: 'Patient/pat-1' } },
        { actor: { reference: 'Practitioner/prac-1' } },
        { actor: { reference: 'Location/loc-1' } },
      ],
    });
    expect(puts).toEqual([expect.objectContaining({ id: 'appt-old', status: 'cancelled' })]);
    expect(screen.getAllByRole('status', { hidden: true })[0]).toHaveTextContent(
      /The appointment is moved to .*9:15 am.* with Dr Mere Parata\./,
    );
    expect(await screen.findByRole('heading', { name: 'Upcoming appointments (1)' })).toBeInTheDocument();
    expect(world.requests.some((request) => request.includes('$reschedule'))).toBe(false);
  });

  it('with $reschedule declared moves it in one request with the chosen slot', async () => {
    const user = userEvent.setup();
    world.operations = ['reschedule', 'cancel'];
    const sent: unknown[] = [];
    server.use(
      http.post(`${FHIR_BASE}/Appointment/:id/$reschedule`, async ({ request, params }) => {
        sent.push({ id: params.id, body: await request.json() });
        return fhirJson({ ...world.appointments[0], id: 'appt-new', start: world.slots[2].start });
      }),
    );
    const dialog = await openReschedule(user);
    await chooseTime(user, dialog, /^2:30 pm/);
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(sent).toEqual([
      {
        id: 'appt-old',
        body: {
          resourceType: 'Parameters',
          parameter: [{ name: 'slot', valueReference: { reference: 'Slot/slot-c' } }],
        },
      },
    ]);
    expect(posted).toEqual([]);
    expect(puts).toEqual([]);
  });

  it('when the chosen time is taken meanwhile, names it, moves the focus there, keeps the old one and offers fresh times', async () => {
    const user = userEvent.setup();
    world.operations = ['reschedule'];
    server.use(
      http.post(`${FHIR_BASE}/Appointment/:id/$reschedule`, () => {
        world.slots[1].status = 'busy';
        return outcome(409, [{ code: 'duplicate', diagnostics: 'That slot has just been booked.' }]);
      }),
    );
    const dialog = await openReschedule(user);
    await chooseTime(user, dialog, /^9:15 am/);
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      /The time you chose, .*9:15 am.* with Dr Mere Parata, was booked by someone else a moment ago\./,
    );
    expect(alert).toHaveTextContent(/Nothing has changed: the appointment is still at .*9:00 am/);
    expect(alert.parentElement).toHaveFocus();
    await waitFor(() => expect(within(dialog).queryByRole('radio', { name: /^9:15 am/ })).not.toBeInTheDocument());
    expect(within(dialog).getByText('New time').nextElementSibling).toHaveTextContent('Not chosen yet');
  });

  it('says plainly when the new time is booked but the old could not be cancelled, and can cancel it again', async () => {
    const user = userEvent.setup();
    let failPut = true;
    server.use(
      http.put(`${FHIR_BASE}/Appointment/:id`, async ({ request }) => {
        const body = (await request.json()) as Appointment;
        if (failPut) return outcome(500, [{ code: 'exception', diagnostics: 'Database unavailable.' }]);
        puts.push(body);
        return fhirJson(body);
      }),
    );
    const dialog = await openReschedule(user);
    await chooseTime(user, dialog, /^9:15 am/);
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      /The new time is booked, but the old appointment could not be cancelled, so the patient is booked twice/,
    );
    expect(alert).toHaveTextContent('Database unavailable.');
    expect(within(dialog).queryByRole('button', { name: 'Move appointment' })).not.toBeInTheDocument();
    failPut = false;
    await user.click(within(alert).getByRole('button', { name: 'Cancel the old appointment' }));
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(puts).toEqual([expect.objectContaining({ id: 'appt-old', status: 'cancelled' })]);
  });

  it('asks for a time before moving anything', async () => {
    const user = userEvent.setup();
    const dialog = await openReschedule(user);
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Choose the new time first');
    expect(posted).toEqual([]);
  });
});
