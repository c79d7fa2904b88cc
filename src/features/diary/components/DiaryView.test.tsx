import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FHIR_BASE, TIME_ZONE } from '../../../test/fhirFixtures';
import { renderApp } from '../../../test/renderApp';
import type { DiaryRange } from '../../../lib/queryKeys';
import {
  appointment,
  diaryHandlers,
  LOCATION,
  OTHER_LOCATION,
  provenance,
  slot,
  type DiaryWorld,
} from '../test/diaryWorld';
import { DiaryView, type DiaryViewProps } from './DiaryView';

/** A day still to come (no mark is late), and one long past (every start has passed). */
const FUTURE_DAY = '2031-03-04';
const PAST_DAY = '2025-03-04';

let world: DiaryWorld;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  world = { slots: [], appointments: [], provenance: [], requests: [], patches: [], chainedSearch: true };
  server.use(...diaryHandlers(world));
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function dayOf(day: string): DiaryRange {
  return { locationId: LOCATION, from: day, days: 1, timeZone: TIME_ZONE };
}

function renderDiary(props: Partial<DiaryViewProps> & { range: DiaryRange }) {
  return renderApp(
    <DiaryView
      today={props.range.from}
      showCancelled={false}
      canMark
      hasHistory
      sheetTitle="Ponsonby"
      onBook={vi.fn()}
      {...props}
    />,
  );
}

const column = (name: string) => screen.findByRole('region', { name });

describe('DiaryView', () => {
  it('lays the day out in a column per practitioner working there, time down the side, appointments and free slots in place', async () => {
    world.slots = [
      slot('s1', 'sched-1', FUTURE_DAY, '09:00'),
      slot('s2', 'sched-1', FUTURE_DAY, '09:15', 'busy'),
      slot('s3', 'sched-2', FUTURE_DAY, '09:00'),
    ];
    world.appointments = [
      appointment('a1', { day: FUTURE_DAY, time: '09:15', patient: 'pat-1', practitioner: 'prac-1', slotId: 's2' }),
    ];
    renderDiary({ range: dayOf(FUTURE_DAY) });

    const parata = await column('Dr Mere Parata');
    const fifita = screen.getByRole('region', { name: 'Ana Fifita' });
    expect(within(parata).getByRole('button', { name: 'Book 9:00 am with Dr Mere Parata' })).toBeInTheDocument();
    const card = within(parata).getByRole('article', { name: '9:15 am, Aroha Ngata' });
    expect(card).toHaveTextContent('NHI ZAC5361');
    expect(card).toHaveTextContent('In person');
    expect(card).toHaveTextContent('Booked');
    expect(within(fifita).queryByRole('article')).toBeNull();
    expect(within(fifita).getByRole('button', { name: 'Book 9:00 am with Ana Fifita' })).toBeInTheDocument();
    // The columns in name order: Ana Fifita, then Dr Mere Parata.
    expect(
      screen
        .getAllByRole('region')
        .map((region) => region.getAttribute('aria-label'))
        .slice(0, 2),
    ).toEqual(['Ana Fifita', 'Dr Mere Parata']);
  });

  it('asks in two searches, the appointments by the location and by every practitioner working there', async () => {
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00'), slot('s3', 'sched-2', FUTURE_DAY, '09:00')];
    renderDiary({ range: dayOf(FUTURE_DAY) });
    await column('Dr Mere Parata');
    // The CapabilityStatement comes once per tab, whatever the screen.
    const searches = world.requests.filter((request) => request.startsWith('GET') && request !== 'GET /metadata');
    expect(searches).toHaveLength(2);
    expect(searches[0]).toMatch(/^GET \/Slot\?schedule\.actor=Location\/loc-1&/);
    expect(searches[1]).toMatch(/^GET \/Appointment\?actor=Location\/loc-1,Practitioner\/prac-1,Practitioner\/prac-2&/);
  });

  it("on a server that does not declare the chained schedule.actor, asks for the location's schedules and then their slots", async () => {
    world.chainedSearch = false;
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00'), slot('s3', 'sched-2', FUTURE_DAY, '09:00')];
    renderDiary({ range: dayOf(FUTURE_DAY) });
    expect(await column('Dr Mere Parata')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Ana Fifita' })).toBeInTheDocument();
    const searches = world.requests.filter((request) => request.startsWith('GET') && request !== 'GET /metadata');
    expect(searches[0]).toBe('GET /Schedule?actor=Location/loc-1');
    expect(searches[1]).toMatch(/^GET \/Slot\?schedule=Schedule\/sched-1,Schedule\/sched-2&/);
  });

  it('shows an appointment booked without a Location when its practitioner works here that day, and not one booked into a slot elsewhere', async () => {
    world.slots = [
      slot('s1', 'sched-1', FUTURE_DAY, '09:00'),
      slot('elsewhere', 'sched-3', FUTURE_DAY, '13:00', 'busy'),
    ];
    world.appointments = [
      appointment('no-location', {
        day: FUTURE_DAY,
        time: '10:00',
        patient: 'pat-1',
        practitioner: 'prac-1',
        location: null,
      }),
      appointment('other-slot', {
        day: FUTURE_DAY,
        time: '13:00',
        patient: 'pat-2',
        practitioner: 'prac-1',
        location: null,
        slotId: 'elsewhere',
      }),
      appointment('other-place', {
        day: FUTURE_DAY,
        time: '14:00',
        patient: 'pat-3',
        practitioner: 'prac-1',
        location: OTHER_LOCATION,
      }),
    ];
    renderDiary({ range: dayOf(FUTURE_DAY) });
    const parata = await column('Dr Mere Parata');
    expect(await within(parata).findByRole('article', { name: '10:00 am, Aroha Ngata' })).toHaveTextContent(
      'Location not recorded',
    );
    expect(within(parata).queryByRole('article', { name: /Hēmi Te Rangi/ })).toBeNull();
    expect(within(parata).queryByRole('article', { name: /Emily Harrison-Clarke/ })).toBeNull();
  });

  it("never shows another day's appointments while the next day's are on their way", async () => {
    const nextDay = '2031-03-05';
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00'), slot('s2', 'sched-1', nextDay, '10:00')];
    world.appointments = [
      appointment('a1', { day: FUTURE_DAY, time: '09:30', patient: 'pat-1', practitioner: 'prac-1' }),
    ];
    const view = renderDiary({ range: dayOf(FUTURE_DAY) });
    expect(await screen.findByRole('article', { name: '9:30 am, Aroha Ngata' })).toBeInTheDocument();

    // The next day's appointments answer slowly (and, like a real server's, only with that day's).
    let asked = false;
    server.use(
      http.get(`${FHIR_BASE}/Appointment`, async () => {
        asked = true;
        return (await delay('infinite')) as never;
      }),
    );
    view.rerender(
      <DiaryView
        range={dayOf(nextDay)}
        today={nextDay}
        showCancelled={false}
        canMark
        hasHistory
        sheetTitle="Ponsonby"
        onBook={vi.fn()}
      />,
    );
    // The next day's slots are in; its appointments are asked for and not yet answered.
    await waitFor(() => expect(asked).toBe(true));
    expect(screen.queryByRole('article', { name: '9:30 am, Aroha Ngata' })).toBeNull();
    expect(screen.getByText('Loading the diary…')).toBeInTheDocument();
  });

  it('hides cancelled appointments and says how many, until "Show cancelled"; the printed sheet never lists them', async () => {
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00')];
    world.appointments = [
      appointment('kept', { day: FUTURE_DAY, time: '09:30', patient: 'pat-1', practitioner: 'prac-1' }),
      appointment('gone', {
        day: FUTURE_DAY,
        time: '10:00',
        patient: 'pat-2',
        practitioner: 'prac-1',
        status: 'cancelled',
      }),
    ];
    const view = renderDiary({ range: dayOf(FUTURE_DAY) });
    const parata = await column('Dr Mere Parata');
    expect(within(parata).queryByRole('article', { name: /Hēmi Te Rangi/ })).toBeNull();
    expect(screen.getByText('1 cancelled appointment hidden.')).toBeInTheDocument();

    view.rerender(
      <DiaryView
        range={dayOf(FUTURE_DAY)}
        today={FUTURE_DAY}
        showCancelled
        canMark
        hasHistory
        sheetTitle="Ponsonby"
        onBook={vi.fn()}
      />,
    );
    expect(
      within(screen.getByRole('region', { name: 'Dr Mere Parata' })).getByRole('article', {
        name: '10:00 am, Hēmi Te Rangi',
      }),
    ).toHaveTextContent('Cancelled');
    expect(screen.queryByText(/cancelled appointment hidden/)).toBeNull();
    const sheet = within(screen.getByRole('region', { name: 'Day sheet' })).getByRole('table', {
      name: 'Dr Mere Parata',
    });
    expect(sheet).toHaveTextContent('Aroha Ngata');
    expect(sheet).not.toHaveTextContent('Hēmi Te Rangi');
  });

  it('offers no arrival buttons where the server does not declare patch, nor on another day', async () => {
    world.slots = [slot('s1', 'sched-1', PAST_DAY, '09:00')];
    world.appointments = [
      appointment('a1', { day: PAST_DAY, time: '09:00', patient: 'pat-1', practitioner: 'prac-1' }),
    ];
    renderDiary({ range: dayOf(PAST_DAY), canMark: false });
    const card = await screen.findByRole('article', { name: '9:00 am, Aroha Ngata' });
    expect(within(card).queryByRole('group')).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Arrived' })).toBeNull();

    renderDiary({ range: dayOf(PAST_DAY), today: '2025-03-05' });
    await waitFor(() => expect(screen.getAllByRole('article', { name: '9:00 am, Aroha Ngata' })).toHaveLength(2));
    for (const found of screen.getAllByRole('article', { name: '9:00 am, Aroha Ngata' }))
      expect(within(found).queryByRole('button', { name: 'Arrived' })).toBeNull();
  });

  it('offers "Did not attend" only once the start has passed', async () => {
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00')];
    world.appointments = [
      appointment('a1', { day: FUTURE_DAY, time: '09:00', patient: 'pat-1', practitioner: 'prac-1' }),
    ];
    renderDiary({ range: dayOf(FUTURE_DAY) });
    const card = await screen.findByRole('article', { name: '9:00 am, Aroha Ngata' });
    expect(within(card).getByRole('button', { name: 'Arrived' })).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Did not attend' })).toBeNull();
  });

  it('marks an arrival with one JSON Patch and If-Match, moves the focus to the next mark, and counts who is waiting and for how long', async () => {
    const user = userEvent.setup();
    world.slots = [slot('s1', 'sched-1', PAST_DAY, '09:00'), slot('s2', 'sched-1', PAST_DAY, '09:15')];
    world.appointments = [
      appointment('a1', { day: PAST_DAY, time: '09:00', patient: 'pat-1', practitioner: 'prac-1' }),
      appointment('a2', {
        day: PAST_DAY,
        time: '09:15',
        patient: 'pat-2',
        practitioner: 'prac-1',
        status: 'arrived',
        lastUpdated: new Date(Date.now() - 7 * 60_000),
      }),
    ];
    renderDiary({ range: dayOf(PAST_DAY) });
    const waiting = await screen.findByText(/waiting/, { selector: '.diary__waiting' });
    expect(waiting).toHaveTextContent('1 waiting, the longest 7 min.');
    expect(screen.getByRole('article', { name: '9:15 am, Hēmi Te Rangi' })).toHaveTextContent('Waiting 7 min');

    const card = screen.getByRole('article', { name: '9:00 am, Aroha Ngata' });
    expect(within(card).getByRole('button', { name: 'Did not attend' })).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Arrived' }));

    await waitFor(() => expect(within(card).getByRole('button', { name: 'Seen' })).toHaveFocus());
    expect(world.patches).toEqual([
      { id: 'a1', ifMatch: 'W/"1"', body: [{ op: 'replace', path: '/status', value: 'arrived' }] },
    ]);
    expect(waiting).toHaveTextContent('2 waiting, the longest 7 min.');
    expect(await screen.findByText('Aroha Ngata is marked arrived.')).toBeInTheDocument();

    await user.keyboard('{Tab}{Enter}');
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Arrived' })).toHaveFocus());
    expect(world.patches.at(-1)).toMatchObject({ ifMatch: 'W/"2"', body: [{ value: 'booked' }] });
    expect(waiting).toHaveTextContent('1 waiting');
  });

  it('says plainly when someone else changed the appointment meanwhile (412), and shows what is stored', async () => {
    const user = userEvent.setup();
    world.slots = [slot('s1', 'sched-1', PAST_DAY, '09:00')];
    world.appointments = [
      appointment('a1', { day: PAST_DAY, time: '09:00', patient: 'pat-1', practitioner: 'prac-1' }),
    ];
    renderDiary({ range: dayOf(PAST_DAY) });
    const card = await screen.findByRole('article', { name: '9:00 am, Aroha Ngata' });
    // Another desk marks it first: the stored version moves on.
    world.appointments[0] = { ...world.appointments[0], status: 'noshow', meta: { versionId: '2' } };
    await user.click(within(card).getByRole('button', { name: 'Arrived' }));
    expect(
      await screen.findByText(/Someone else changed this appointment meanwhile, so nothing was marked/),
    ).toBeInTheDocument();
    await waitFor(() => expect(card).toHaveTextContent('Did not attend'));
  });

  it("opens an appointment's detail with its history from Provenance, oldest first, in the desk's words", async () => {
    const user = userEvent.setup();
    world.slots = [slot('s1', 'sched-1', FUTURE_DAY, '09:00')];
    world.appointments = [
      appointment('a1', {
        day: FUTURE_DAY,
        time: '09:00',
        patient: 'pat-1',
        practitioner: 'prac-1',
        status: 'fulfilled',
      }),
    ];
    world.provenance = [
      provenance('a1', 3, 'fulfilled', 'Reception (demo)', '2031-03-03T20:40:00Z'),
      provenance('a1', 1, 'booked', 'Reception (demo)', '2031-03-02T20:02:00Z'),
      provenance('a1', 2, 'arrived', 'Reception (demo)', '2031-03-03T20:10:00Z'),
    ];
    renderDiary({ range: dayOf(FUTURE_DAY) });
    await user.click(await screen.findByRole('button', { name: 'Aroha Ngata' }));
    const dialog = screen.getByRole('dialog', { name: 'Appointment: Aroha Ngata' });
    const entries = await within(dialog).findAllByRole('listitem');
    expect(entries.map((entry) => entry.textContent)).toEqual([
      expect.stringMatching(/^Booked by Reception \(demo\) 9:02\s?am/),
      expect.stringMatching(/^Arrived by Reception \(demo\) 9:10\s?am/),
      expect.stringMatching(/^Seen by Reception \(demo\) 9:40\s?am/),
    ]);
    expect(world.requests).toContain('GET /Provenance?target=Appointment/a1&_count=100');
  });
});
