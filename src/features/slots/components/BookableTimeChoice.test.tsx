import { useQuery } from '@tanstack/react-query';
import type { Schedule } from 'fhir/r4';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClinicDays } from '../../../../domain/clinicTime';
import { deliveryChannelExtension, onlineBookableExtension } from '../../../../domain/extensions';
import {
  createWorld,
  FHIR_BASE,
  fhirHandlers,
  fhirJson,
  nextWeek,
  outcome,
  schedule,
  searchset,
  slotAt,
  type FhirWorld,
} from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import { useBookableTimeChoice } from '../hooks/useBookableTimeChoice';
import type { ScheduleAt, WhoseTimes } from '../hooks/useBookableTimes';
import { BookableTimeChoice } from './BookableTimeChoice';

const ponsonby: ScheduleAt = { scheduleId: 'sched-1', locationId: 'loc-1', locationName: 'Ponsonby Family Health' };
/** A second practitioner, whose schedule names them without a display. */
const otherSchedule: Schedule = {
  resourceType: 'Schedule',
  id: 'sched-2',
  active: true,
  actor: [{ reference: 'Practitioner/prac-2' }],
};
const names: Record<string, string> = { 'prac-1': 'Dr Mere Parata', 'prac-2': 'Dr Hemi Walker' };

let world: FhirWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = createWorld();
  server.use(...fhirHandlers(world));
  server.use(
    // Like a FHIR server: only the week asked for, and each slot's schedule when asked to include it.
    http.get(`${FHIR_BASE}/Slot`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const [from, to] = params.getAll('start').map((bound) => new Date(bound.slice(2)).getTime());
      const inWeek = world.slots.filter(
        (slot) =>
          slot.status === 'free' && new Date(slot.start).getTime() >= from && new Date(slot.start).getTime() < to,
      );
      return fhirJson(searchset(inWeek, params.get('_include') === 'Slot:schedule' ? [schedule, otherSchedule] : []));
    }),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** What a practitioner choice would give: anyone, or one practitioner and the schedules it loads for them. */
function useWhose(practitionerId: string, schedules: ScheduleAt[]): WhoseTimes {
  const anyone = practitionerId === '';
  const loaded = useQuery({
    queryKey: ['test-schedules', practitionerId, schedules],
    queryFn: async () => schedules,
    enabled: !anyone,
  });
  return {
    chosen: true,
    anyone,
    practitionerId,
    schedules: loaded,
    nameOf: (id) => names[id],
    among: { locationId: 'loc-1', role: '' },
  };
}

function FreeTimes({
  practitionerId = '',
  schedules = [ponsonby],
}: {
  practitionerId?: string;
  schedules?: ScheduleAt[];
}) {
  const choice = useBookableTimeChoice(useWhose(practitionerId, schedules));
  const { chosen } = choice;
  return (
    <>
      <BookableTimeChoice choice={choice} />
      <p>
        Chosen:{' '}
        {chosen ? `${chosen.id} with ${chosen.practitioner.name}, ${chosen.location?.name ?? 'anywhere'}` : 'nothing'}
      </p>
    </>
  );
}

describe('BookableTimeChoice', () => {
  it('a week with nothing free offers the next, where the first day is chosen already; a time is chosen with whom and where', async () => {
    const user = userEvent.setup();
    renderApp(<FreeTimes practitionerId="prac-1" />);
    expect(await screen.findByText('No free times this week.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Look at the next week' }));

    const days = await screen.findByRole('group', { name: 'Choose a day' });
    expect(
      within(days)
        .getAllByRole('radio')
        .map((radio) => (radio as HTMLInputElement).checked),
    ).toEqual([true, false]);
    const times = screen.getByRole('group', { name: /Choose a time/ });
    expect(within(times).getAllByRole('radio')).toHaveLength(2);
    await user.click(within(times).getByRole('radio', { name: /^9:15 am/ }));
    expect(screen.getByText(/^Chosen:/)).toHaveTextContent(
      'Chosen: slot-b with Dr Mere Parata, Ponsonby Family Health',
    );

    // Another day starts the time again.
    await user.click(within(days).getAllByRole('radio')[1]);
    expect(screen.getByText(/^Chosen:/)).toHaveTextContent('Chosen: nothing');
  });

  it('anyone: every time of everyone at the clinic, each practitioner named once above their own, named from the list where the schedule gives no name', async () => {
    const user = userEvent.setup();
    const day = addClinicDays(nextWeek(), 1);
    world.slots.push(
      { ...slotAt(day, '09:00', 'slot-x'), schedule: { reference: 'Schedule/sched-2' } },
      { ...slotAt(day, '10:00', 'slot-y'), schedule: { reference: 'Schedule/sched-2' } },
    );
    renderApp(<FreeTimes />);
    await user.click(await screen.findByRole('button', { name: 'Look at the next week' }));

    const times = await screen.findByRole('group', { name: /Choose a time/ });
    const named = (name: string) =>
      within(within(times).getByRole('group', { name }))
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent);
    expect(named('Dr Mere Parata')).toEqual(['9:00 am', '9:15 am']);
    expect(named('Dr Hemi Walker')).toEqual(['9:00 am', '10:00 am']);
    await user.click(
      within(within(times).getByRole('group', { name: 'Dr Hemi Walker' })).getByRole('radio', { name: '9:00 am' }),
    );
    expect(screen.getByText(/^Chosen:/)).toHaveTextContent('Chosen: slot-x with Dr Hemi Walker, loc-1');
  });

  it('offers only the ways of being seen the week has, and lists only the times of the one chosen', async () => {
    const user = userEvent.setup();
    const day = addClinicDays(nextWeek(), 1);
    world.slots.forEach((slot) => (slot.extension = [deliveryChannelExtension('in-person')]));
    world.slots.push({ ...slotAt(day, '11:00', 'slot-video'), extension: [deliveryChannelExtension('video')] });
    renderApp(<FreeTimes practitionerId="prac-1" />);
    await user.click(await screen.findByRole('button', { name: 'Look at the next week' }));

    const how = await screen.findByRole('group', { name: 'How would you like to be seen?' });
    expect(
      within(how)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['Any way', 'In person', 'Video call']);
    await user.click(within(how).getByRole('radio', { name: 'Video call' }));
    const times = screen.getByRole('group', { name: /Choose a time/ });
    expect(
      within(times)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['11:00 am']);
  });

  it("leaves out a slot patients cannot book online, by its own flag or its schedule's", async () => {
    const user = userEvent.setup();
    world.slots[0].extension = [onlineBookableExtension(false)];
    renderApp(<FreeTimes practitionerId="prac-1" />);
    await user.click(await screen.findByRole('button', { name: 'Look at the next week' }));
    const times = await screen.findByRole('group', { name: /Choose a time/ });
    expect(
      within(times)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['9:15 am']);
  });

  it('a schedule not bookable online offers only the slots released to patients', async () => {
    const user = userEvent.setup();
    world.slots[1].extension = [onlineBookableExtension(true)];
    renderApp(<FreeTimes practitionerId="prac-1" schedules={[{ ...ponsonby, onlineBookable: false }]} />);
    await user.click(await screen.findByRole('button', { name: 'Look at the next week' }));
    const times = await screen.findByRole('group', { name: /Choose a time/ });
    expect(
      within(times)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['9:15 am']);
  });

  it('says when a practitioner has no times to book online', async () => {
    renderApp(<FreeTimes practitionerId="prac-1" schedules={[]} />);
    expect(await screen.findByText(/This practitioner has no times to book online/)).toBeInTheDocument();
    expect(world.requests.filter((request) => request.startsWith('GET /Slot'))).toEqual([]);
  });

  it('says when the free times could not be loaded, and tries again', async () => {
    const user = userEvent.setup();
    server.use(
      http.get(`${FHIR_BASE}/Slot`, () => outcome(500, [{ code: 'exception', diagnostics: 'Database unavailable.' }]), {
        once: true,
      }),
    );
    renderApp(<FreeTimes practitionerId="prac-1" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No free times this week.')).toBeInTheDocument();
  });
});
