import type { Appointment, Location, Practitioner } from 'fhir/r4';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignInContext, type SignInState } from '../../../features/auth/hooks/useSignIn';
import {
  createWorld,
  FHIR_BASE,
  fhirHandlers,
  fhirJson,
  practitioner,
  schedule,
  searchset,
  storeBooking,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { humanName } from '../../../lib/format';
import { renderApp } from '../../../test/renderApp';
import { Layout } from '../../Layout';
import MyAppointmentsScreen from './MyAppointmentsScreen';
import MyBookingScreen from './MyBookingScreen';

let world: FhirWorld;
let posted: Appointment[];
/** Each Slot search's parameters: "anyone" must look at one clinic. */
let slotSearches: URLSearchParams[];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  posted = [];
  slotSearches = [];
  server.use(...fhirHandlers(world));
  server.use(
    // "Anyone" asks for every free slot with its schedule, to know with whom and where.
    http.get(`${FHIR_BASE}/Slot`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      slotSearches.push(params);
      const include = params.get('_include') === 'Slot:schedule';
      return fhirJson(
        searchset(
          world.slots.filter((slot) => slot.status === 'free'),
          include ? [schedule] : [],
        ),
      );
    }),
    http.get(`${FHIR_BASE}/Location`, () => fhirJson(searchset(CLINICS))),
    http.post(`${FHIR_BASE}/Appointment`, async ({ request }) => {
      const proposed = (await request.json()) as Appointment;
      posted.push(proposed);
      return fhirJson(storeBooking(world, proposed), { status: 201 });
    }),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CLINICS: Location[] = [
  { resourceType: 'Location', id: 'loc-1', name: 'Ponsonby Family Health' },
  { resourceType: 'Location', id: 'loc-2', name: 'Karori Medical Centre' },
];

/** The patient's last visit, at Karori: that is their usual clinic. */
const lastVisit: Appointment = {
  resourceType: 'Appointment',
  id: 'appt-past',
  status: 'fulfilled',
  start: '2026-10-01T09:00:00+13:00',
  participant: [
    { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
    { actor: { reference: 'Location/loc-2', display: 'Karori Medical Centre' }, status: 'accepted' },
  ],
};

const patientSignedIn: SignInState = {
  kind: 'signed-in',
  role: { kind: 'patient', patientId: 'pat-1' },
  name: 'Aroha Ngata',
  signOut: () => undefined,
};

function renderAsPatient(ui: ReactNode, url: string) {
  return renderApp(<SignInContext.Provider value={patientSignedIn}>{ui}</SignInContext.Provider>, { url });
}

describe("a patient's own screens", () => {
  it('show who is signed in and only their own things: no patient search, no other patient', async () => {
    renderAsPatient(
      <Layout>
        <MyAppointmentsScreen patientId="pat-1" />
      </Layout>,
      '/my',
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Your appointments' })).toBeInTheDocument();
    expect(screen.getByText('Signed in as Aroha Ngata')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: /Upcoming appointments/ })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Your appointments', 'Book']);
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument();
    expect(screen.queryByText(/Open server/)).not.toBeInTheDocument();
    expect(world.requests.some((request) => request.startsWith('GET /Appointment?patient=Patient%2Fpat-1'))).toBe(true);
  });

  it('offers only practitioners who see patients: a staff record without a schedule is not a choice', async () => {
    const receptionist: Practitioner = {
      resourceType: 'Practitioner',
      id: 'staff-reception',
      name: [{ text: 'Reception (demo)' }],
    };
    server.use(http.get(`${FHIR_BASE}/Practitioner`, () => fhirJson(searchset([practitioner, receptionist]))));
    renderAsPatient(<MyBookingScreen patientId="pat-1" />, '/my/book');
    const who = await screen.findByRole('group', { name: 'Who would you like to see?' });
    expect(await within(who).findByRole('radio', { name: humanName(practitioner.name) })).toBeInTheDocument();
    expect(within(who).queryByRole('radio', { name: 'Reception (demo)' })).not.toBeInTheDocument();
  });

  it('book first available with anyone at their usual clinic: times grouped by practitioner, a reason, and a confirmation in words', async () => {
    const user = userEvent.setup();
    world.appointments.push(lastVisit);
    renderAsPatient(<MyBookingScreen patientId="pat-1" />, '/my/book');
    await user.click(await screen.findByRole('radio', { name: 'First available with anyone' }));
    const clinic = await screen.findByRole('combobox', { name: 'Clinic' });
    expect(clinic).toHaveValue('loc-2');
    expect(within(clinic).getAllByRole('option')[0]).toHaveTextContent('Karori Medical Centre (your usual clinic)');
    const days = await screen.findByRole('group', { name: 'Choose a day' });
    expect(slotSearches.map((params) => params.get('schedule.actor'))).toEqual(['Location/loc-2']);
    expect(
      within(days)
        .getAllByRole('radio')
        .map((radio) => (radio as HTMLInputElement).checked),
    ).toEqual([true, false]);
    // The practitioner is named once above their times, not on every time.
    const times = screen.getByRole('group', { name: /Choose a time/ });
    const parata = within(times).getByRole('group', { name: 'Dr Mere Parata' });
    expect(
      within(parata)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['9:00 am', '9:15 am']);
    await user.click(within(parata).getByRole('radio', { name: '9:15 am' }));
    await user.type(screen.getByRole('textbox', { name: 'Reason for the visit' }), 'Repeat prescription');
    await user.click(screen.getByRole('button', { name: 'Book this appointment' }));

    const confirmation = await screen.findByRole('region', { name: /Appointment booked/ });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      status: 'proposed',
      description: 'Repeat prescription',
      start: world.slots[1].start,
      slot: [{ reference: 'Slot/slot-b' }],
      participant: [
        { actor: { reference: 'Patient/pat-1' } },
        { actor: { reference: 'Practitioner/prac-1' } },
        { actor: { reference: 'Location/loc-1' } },
      ],
    });
    expect(
      within(confirmation)
        .getAllByRole('term')
        .map((term) => term.textContent),
    ).toEqual(['Status', 'When', 'With', 'Where', 'Reason']);
    expect(confirmation).toHaveTextContent('ReasonRepeat prescription');
    expect(confirmation).not.toHaveTextContent(/Appointment\//);
    // What the file holds is tested with src/lib/calendarFile.ts; it is made when the button is pressed.
    expect(screen.getByRole('button', { name: 'Add to calendar' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your appointments' })).toHaveAttribute('href', '/my');
  });

  it('a practitioner chosen by name shows only their times, and a clash asks for another time', async () => {
    const user = userEvent.setup();
    server.use(
      http.post(`${FHIR_BASE}/Appointment`, () =>
        fhirJson(
          {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'conflict', diagnostics: 'The slot is already booked.' }],
          },
          { status: 409 },
        ),
      ),
    );
    renderAsPatient(<MyBookingScreen patientId="pat-1" />, '/my/book');
    await user.click(await screen.findByRole('radio', { name: 'Dr Mere Parata' }));
    await user.click(await screen.findByRole('radio', { name: /^9:00 am/ }));
    expect(screen.getByRole('radio', { name: /^9:00 am/ })).not.toHaveAccessibleName(/with/);
    expect(screen.queryByRole('combobox', { name: 'Clinic' })).not.toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: 'Reason for the visit' }), 'Sore knee');
    await user.click(screen.getByRole('button', { name: 'Book this appointment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/Someone else booked .*9:00\s?am.* a moment ago/);
    expect(screen.getByRole('button', { name: 'Book this appointment' })).toBeDisabled();
  });
});
