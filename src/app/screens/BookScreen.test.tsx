import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FACILITY_HEADER } from '../../../domain/identifiers';
import type { Location, Reference } from 'fhir/r4';
import { FHIR_BASE, fhirJson, nextWeek, outcome, practitioner, searchset, storeBooking } from '../../test/fhirFixtures';
import { setUpFakeFhirServer } from '../../test/fakeFhirServer';
import { renderApp } from '../../test/renderApp';
import { BookScreen } from './BookScreen';

const fake = setUpFakeFhirServer();
const { server, answerPostsWith } = fake;

const withPractitioner = () => `/book?patient=pat-1&practitioner=prac-1&week=${nextWeek()}`;

function chosenTime() {
  return within(screen.getByRole('region', { name: /Check and book/ })).getByText('Time').nextElementSibling;
}

async function chooseFirstSlot(user: ReturnType<typeof userEvent.setup>) {
  const slots = await screen.findByRole('radiogroup', { name: /slots/ });
  await user.click(within(slots).getAllByRole('radio')[0]);
  await waitFor(() => expect(chosenTime()).not.toHaveTextContent('Not chosen yet'));
}

/** Pat-1 booked with prac-1 in slot-c (and at a location, when given), stored in the fake server. */
function bookSlotC(location?: Reference) {
  return storeBooking(fake.world, {
    resourceType: 'Appointment',
    status: 'proposed',
    start: fake.world.slots[2].start,
    slot: [{ reference: 'Slot/slot-c' }],
    participant: [
      { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
      ...(location ? [{ actor: location, status: 'accepted' as const }] : []),
    ],
  });
}

describe('booking', () => {
  it('checks the shared rules before submitting: no practitioner means no POST and a message beside the field', async () => {
    const user = userEvent.setup();
    answerPostsWith(() => fhirJson({}, { status: 500 }));
    renderApp(<BookScreen />, { url: '/book?patient=pat-1' });
    await user.click(await screen.findByRole('button', { name: 'Book appointment' }));
    const practitionerField = screen.getByRole('searchbox', { name: 'Practitioner' });
    expect(practitionerField).toHaveAccessibleDescription(/Choose the practitioner the appointment is with\./);
    expect(screen.getByText('Choose when the appointment starts.')).toBeInTheDocument();
    expect(fake.posted).toEqual([]);
  });

  it('posts a proposed appointment and shows what the server stored, booked', async () => {
    const user = userEvent.setup();
    let facility: string | null = null;
    answerPostsWith((proposed, request) => {
      facility = request.headers.get(FACILITY_HEADER);
      return fhirJson(storeBooking(fake.world, proposed), { status: 201, headers: { ETag: 'W/"1"' } });
    });
    renderApp(<BookScreen />, { url: withPractitioner() });
    await chooseFirstSlot(user);
    await user.click(screen.getByRole('button', { name: 'Book appointment' }));

    expect(await screen.findByRole('heading', { name: /Appointment booked/ })).toBeInTheDocument();
    expect(screen.getByText('booked')).toBeInTheDocument();
    // The server's reference is for looking it up later, folded under "Details", not in the summary.
    const confirmation = screen.getByRole('region', { name: /Appointment booked/ });
    const summary = confirmation.querySelector('dl') as HTMLElement;
    expect(
      within(summary)
        .getAllByRole('term')
        .map((term) => term.textContent),
    ).toEqual(['Status', 'When', 'Patient', 'Practitioner', 'Location']);
    const details = within(confirmation).getByText('Details').closest('details');
    expect(details).not.toHaveAttribute('open');
    expect(within(details as HTMLElement).getByText(/Appointment\/appt-1, version 1/)).toBeInTheDocument();
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]).toMatchObject({
      resourceType: 'Appointment',
      status: 'proposed',
      start: fake.world.slots[0].start,
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1' } },
        { actor: { reference: 'Practitioner/prac-1' } },
        { actor: { reference: 'Location/loc-1' } },
      ],
    });
    expect(facility).toBe('F0K068-B');
  });

  it('shows each OperationOutcome issue beside the field its expression names, the rest as a summary', async () => {
    const user = userEvent.setup();
    answerPostsWith(() =>
      outcome(422, [
        {
          code: 'not-found',
          diagnostics: 'There is no Practitioner with id "prac-1".',
          expression: ['Appointment.participant[1].actor'],
        },
        {
          code: 'business-rule',
          diagnostics: 'The start is in the past: choose a time that is still to come.',
          expression: ['Appointment.start'],
        },
        { code: 'processing', diagnostics: 'The clinic is closed for stocktake.' },
      ]),
    );
    renderApp(<BookScreen />, { url: withPractitioner() });
    await chooseFirstSlot(user);
    await user.click(screen.getByRole('button', { name: 'Book appointment' }));

    const practitionerField = await screen.findByRole('searchbox', { name: 'Practitioner' });
    await waitFor(() =>
      expect(practitionerField).toHaveAccessibleDescription(/There is no Practitioner with id "prac-1"\./),
    );
    expect(practitionerField).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('radiogroup', { name: /slots/ })).toHaveAccessibleDescription(
      'The start is in the past: choose a time that is still to come.',
    );
    const summary = screen.getByRole('alert');
    expect(summary).toHaveTextContent('The appointment was not booked. 2 fields need attention');
    expect(summary).toHaveTextContent('The clinic is closed for stocktake.');
  });

  it('says when the slot was taken meanwhile, refreshes the slots and keeps the other choices', async () => {
    const user = userEvent.setup();
    answerPostsWith(() => {
      fake.world.slots[0].status = 'busy';
      return outcome(409, [
        {
          code: 'duplicate',
          diagnostics: 'That slot has just been booked by someone else.',
          expression: ['Appointment.slot[0]'],
        },
      ]);
    });
    const { location } = renderApp(<BookScreen />, { url: withPractitioner() });
    await chooseFirstSlot(user);
    const slotSearchesBefore = fake.world.requests.filter((request) => request.startsWith('GET /Slot')).length;
    await user.click(screen.getByRole('button', { name: 'Book appointment' }));

    const lost = await screen.findByText(
      /The time you chose, .*9:00\sam NZ[DS]T, was booked by someone else a moment ago/,
    );
    await waitFor(() => expect(lost).toHaveFocus());
    await waitFor(() =>
      expect(within(screen.getByRole('radiogroup', { name: /slots/ })).getAllByRole('radio')).toHaveLength(2),
    );
    expect(fake.world.requests.filter((request) => request.startsWith('GET /Slot')).length).toBeGreaterThan(
      slotSearchesBefore,
    );
    expect(screen.getByRole('searchbox', { name: 'Practitioner' })).toHaveValue('Dr Mere Parata');
    const kept = new URLSearchParams(location.history.at(-1)?.split('?')[1]);
    expect(Object.fromEntries(kept)).toEqual({ patient: 'pat-1', practitioner: 'prac-1', week: nextWeek() });
  });

  it('after a lost answer keeps the form, offers a retry, and the retry finds the booking instead of booking twice', async () => {
    const user = userEvent.setup();
    answerPostsWith((proposed) => {
      storeBooking(fake.world, proposed);
      return HttpResponse.error();
    });
    renderApp(<BookScreen />, { url: withPractitioner() });
    await chooseFirstSlot(user);
    await user.click(screen.getByRole('button', { name: 'Book appointment' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The booking could not be confirmed: the server did not answer.',
    );
    expect(chosenTime()).not.toHaveTextContent('Not chosen yet');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { name: /Appointment booked/ })).toBeInTheDocument();
    expect(screen.getByText(/it was not booked twice/)).toBeInTheDocument();
    expect(fake.posted).toHaveLength(1);
    expect(
      fake.world.requests.some(
        (request) => request.startsWith('GET /Appointment?') && request.includes('status=booked'),
      ),
    ).toBe(true);
  });

  it("shows the patient's upcoming appointments above the form, cancelled ones not counted", async () => {
    const booked = bookSlotC();
    fake.world.appointments.push({ ...booked, id: 'appt-gone', status: 'cancelled' });
    renderApp(<BookScreen />, { url: '/book?patient=pat-1' });
    const upcoming = await screen.findByRole('region', { name: /Upcoming appointments/ });
    await waitFor(() => expect(within(upcoming).getAllByRole('listitem')).toHaveLength(1));
    expect(within(upcoming).getByRole('heading')).toHaveTextContent('Upcoming appointments (1)');
    expect(within(upcoming).getByRole('listitem')).toHaveTextContent(/2:30 pm to 2:45 pm NZ[DS]T with Dr Mere Parata/);
  });

  it("adds the booking to the patient's upcoming appointments from the server's answer, and searches the free slots again", async () => {
    const user = userEvent.setup();
    answerPostsWith((proposed) => fhirJson(storeBooking(fake.world, proposed), { status: 201 }));
    bookSlotC({ reference: 'Location/loc-1' });
    const clinic: Location = { resourceType: 'Location', id: 'loc-1', name: 'Ponsonby Family Health' };
    let appointmentSearches = 0;
    server.use(
      http.get(`${FHIR_BASE}/Appointment`, () => {
        appointmentSearches += 1;
        return fhirJson(searchset(fake.world.appointments, [practitioner, clinic]));
      }),
    );
    renderApp(<BookScreen />, { url: withPractitioner() });
    const upcoming = await screen.findByRole('region', { name: /Upcoming appointments/ });
    await waitFor(() => expect(within(upcoming).getAllByRole('listitem')).toHaveLength(1));
    await chooseFirstSlot(user);
    const slotSearchesBefore = fake.world.requests.filter((request) => request.startsWith('GET /Slot?')).length;
    await user.click(screen.getByRole('button', { name: 'Book appointment' }));
    expect(await screen.findByRole('heading', { name: /Appointment booked/ })).toBeInTheDocument();
    expect(fake.world.requests.filter((request) => request.startsWith('GET /Slot?')).length).toBeGreaterThan(
      slotSearchesBefore,
    );

    await user.click(screen.getByRole('button', { name: 'Book another appointment' }));
    const after = await screen.findByRole('region', { name: /Upcoming appointments/ });
    expect(within(after).getByRole('heading')).toHaveTextContent('Upcoming appointments (2)');
    expect(within(after).getAllByRole('listitem')[0]).toHaveTextContent(
      /9:00 am to 9:15 am NZ[DS]T with Dr Mere Parata · Ponsonby Family Health/,
    );
    expect(appointmentSearches).toBe(1);
  });

  it('shows each practitioner with their clinic and role, and the arrow keys and Enter choose one', async () => {
    const user = userEvent.setup();
    renderApp(<BookScreen />, { url: '/book?patient=pat-1' });
    const field = await screen.findByRole('searchbox', { name: 'Practitioner' });
    await user.type(field, 'Par');
    const results = await screen.findByRole('region', { name: 'Search results' });
    const choice = await within(results).findByRole('button', { name: /Dr Mere Parata/ });
    await waitFor(() => expect(choice).toHaveAccessibleName(/Ponsonby Family Health/));
    expect(choice).toHaveAccessibleName(/General practitioner|GP/);
    await user.keyboard('{ArrowDown}');
    expect(choice).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(field).toHaveValue('Dr Mere Parata'));
    expect(
      within(screen.getByRole('region', { name: /Check and book/ })).getByText('Practitioner').nextElementSibling,
    ).toHaveTextContent('Dr Mere Parata');
  });

  it('says so when the server is down', async () => {
    server.use(http.get(`${FHIR_BASE}/Patient/pat-1`, () => HttpResponse.error()));
    renderApp(<BookScreen />, { url: '/book?patient=pat-1' });
    expect(await screen.findByRole('alert')).toHaveTextContent('The FHIR server cannot be reached.');
  });
});
