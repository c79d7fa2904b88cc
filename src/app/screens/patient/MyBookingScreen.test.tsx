import type { Appointment } from 'fhir/r4';
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
  schedule,
  searchset,
  storeBooking,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import { Layout } from '../../Layout';
import MyAppointmentsScreen from './MyAppointmentsScreen';
import MyBookingScreen from './MyBookingScreen';

let world: FhirWorld;
let posted: Appointment[];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  posted = [];
  server.use(...fhirHandlers(world));
  server.use(
    // "Anyone" asks for every free slot with its schedule, to know with whom and where.
    http.get(`${FHIR_BASE}/Slot`, ({ request }) => {
      const include = new URL(request.url).searchParams.get('_include') === 'Slot:schedule';
      return fhirJson(
        searchset(
          world.slots.filter((slot) => slot.status === 'free'),
          include ? [schedule] : [],
        ),
      );
    }),
    http.post(`${FHIR_BASE}/Appointment`, async ({ request }) => {
      const proposed = (await request.json()) as Appointment;
      posted.push(proposed);
      return fhirJson(storeBooking(world, proposed), { status: 201 });
    }),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

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

  it('book first available with anyone: the earliest day is chosen, then a time, and the booking is for the patient', async () => {
    const user = userEvent.setup();
    renderAsPatient(<MyBookingScreen patientId="pat-1" />, '/my/book');
    await user.click(await screen.findByRole('radio', { name: 'First available with anyone' }));
    const days = await screen.findByRole('group', { name: 'Choose a day' });
    expect(
      within(days)
        .getAllByRole('radio')
        .map((radio) => (radio as HTMLInputElement).checked),
    ).toEqual([true, false]);
    const times = screen.getByRole('group', { name: /Choose a time/ });
    expect(within(times).getAllByRole('radio')).toHaveLength(2);
    await user.click(within(times).getByRole('radio', { name: /9:15 am with Dr Mere Parata/ }));
    await user.click(screen.getByRole('button', { name: 'Book this appointment' }));

    expect(await screen.findByRole('heading', { name: /Appointment booked/ })).toBeInTheDocument();
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
    await user.click(screen.getByRole('button', { name: 'Book this appointment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/Someone else booked .*9:00\s?am.* a moment ago/);
    expect(screen.getByRole('button', { name: 'Book this appointment' })).toBeDisabled();
  });
});
