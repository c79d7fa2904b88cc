import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { fhirJson, outcome, storeBooking } from '../../../test/fhirFixtures';
import { setUpFakeFhirServer } from '../../../test/fakeFhirServer';
import { renderApp } from '../../../test/renderApp';
import { SelfBookingForm, type ChosenTime, type SelfBookingFormProps } from './SelfBookingForm';

const fake = setUpFakeFhirServer();
const { answerPostsWith } = fake;

function firstSlot(): ChosenTime {
  const slot = fake.world.slots[0];
  return {
    id: slot.id ?? '',
    start: slot.start,
    startsAt: new Date(slot.start),
    practitioner: { id: 'prac-1', name: 'Dr Mere Parata' },
    location: { id: 'loc-1', name: 'Ponsonby Family Health' },
  };
}

function form(props: Partial<SelfBookingFormProps> = {}) {
  return (
    <SelfBookingForm
      patient={{ id: 'pat-1', name: 'Aroha Ngata' }}
      who="prac-1"
      time={firstSlot()}
      whoChoice={<p>Whom to see</p>}
      timeChoice={<p>Which time</p>}
      onBooked={() => undefined}
      onSlotTaken={() => undefined}
      {...props}
    />
  );
}

const bookButton = () => screen.getByRole('button', { name: 'Book this appointment' });

describe('SelfBookingForm', () => {
  it('asks whom to see first, and only then when and the check', () => {
    const { rerender } = renderApp(form({ who: undefined, time: undefined }));
    expect(screen.getByRole('region', { name: /Who/ })).toHaveTextContent('Whom to see');
    expect(screen.queryByRole('region', { name: /When/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Check and book/ })).not.toBeInTheDocument();

    rerender(form({ time: undefined }));
    expect(screen.getByRole('region', { name: /When/ })).toHaveTextContent('Which time');
    expect(screen.getByRole('region', { name: /Check and book/ })).toHaveTextContent('Choose a time');
    expect(bookButton()).toBeDisabled();
  });

  it('books the chosen time for the patient, and hands back what the server stored', async () => {
    const user = userEvent.setup();
    const onBooked = vi.fn();
    answerPostsWith((proposed) => fhirJson(storeBooking(fake.world, proposed), { status: 201 }));
    renderApp(form({ onBooked }));
    expect(screen.getByRole('region', { name: /Check and book/ })).toHaveTextContent(
      /WithDr Mere Parata.*WherePonsonby Family Health/,
    );
    await user.click(bookButton());

    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledOnce());
    expect(onBooked).toHaveBeenCalledWith(
      expect.objectContaining({
        appointment: expect.objectContaining({ id: 'appt-1', status: 'booked' }),
        recovered: false,
      }),
      firstSlot(),
    );
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]).toMatchObject({
      status: 'proposed',
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1', display: 'Aroha Ngata' } },
        { actor: { reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' } },
        { actor: { reference: 'Location/loc-1', display: 'Ponsonby Family Health' } },
      ],
    });
  });

  it('checks the shared rules first: a time that has passed is not sent, and the problem takes the focus', async () => {
    const user = userEvent.setup();
    const past = new Date(Date.now() - 60 * 60_000);
    renderApp(form({ time: { ...firstSlot(), start: past.toISOString(), startsAt: past } }));
    await user.click(bookButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This time cannot be booked.');
    expect(alert.parentElement).toHaveFocus();
    expect(fake.posted).toEqual([]);
  });

  it('a time taken meanwhile: the caller clears it, and the patient is asked for another', async () => {
    const user = userEvent.setup();
    const onSlotTaken = vi.fn();
    answerPostsWith(() =>
      outcome(409, [
        {
          code: 'duplicate',
          diagnostics: 'That slot has just been booked by someone else.',
          expression: ['Appointment.slot[0]'],
        },
      ]),
    );
    renderApp(form({ onSlotTaken }));
    await user.click(bookButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      /^Someone else booked \w{3}, \d{1,2} \w{3} \d{4}, \d{1,2}:\d{2}\s[ap]m NZ[DS]T a moment ago\. The free times have been refreshed: choose another\.$/,
    );
    expect(alert).not.toHaveTextContent('That slot has just been booked');
    expect(alert.parentElement).toHaveFocus();
    expect(onSlotTaken).toHaveBeenCalledOnce();
  });

  it("lists every one of the server's reasons, and choosing someone else clears them", async () => {
    const user = userEvent.setup();
    answerPostsWith(() =>
      outcome(422, [
        { code: 'business-rule', diagnostics: 'The start is in the past.', expression: ['Appointment.start'] },
        { code: 'processing', diagnostics: 'The clinic is closed for stocktake.' },
      ]),
    );
    const { rerender } = renderApp(form());
    await user.click(bookButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The appointment was not booked. The server refused it: a booking rule was not met.',
    );
    expect(alert).toHaveTextContent('The clinic is closed for stocktake.');
    expect(alert).toHaveTextContent('The start is in the past.');
    rerender(form({ who: 'anyone' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('after a lost answer says to book again, and booking again finds the first booking instead of making another', async () => {
    const user = userEvent.setup();
    const onBooked = vi.fn();
    answerPostsWith((proposed) => {
      storeBooking(fake.world, proposed);
      return HttpResponse.error();
    });
    renderApp(form({ onBooked }));
    await user.click(bookButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The booking could not be confirmed: the server did not answer.');
    expect(alert).toHaveTextContent(
      'Book again: we first check whether the first try got through, so it is never booked twice.',
    );
    expect(alert.parentElement).toHaveFocus();
    await user.click(bookButton());

    await vi.waitFor(() =>
      expect(onBooked).toHaveBeenCalledWith(expect.objectContaining({ recovered: true }), firstSlot()),
    );
    expect(fake.posted).toHaveLength(1);
  });
});
