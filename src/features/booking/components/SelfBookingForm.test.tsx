import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { DELIVERY_CHANNEL_URL } from '../../../../domain/extensions';
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
const reasonInput = () => screen.getByRole('textbox', { name: 'Reason for the visit' });
const whenRegion = () => screen.getByRole('region', { name: /How and when/ });

async function giveReason(user: ReturnType<typeof userEvent.setup>, reason = 'Sore knee') {
  await user.type(reasonInput(), reason);
}

describe('SelfBookingForm', () => {
  it('asks whom to see first, and only then how and when, what for and the check', () => {
    const { rerender } = renderApp(form({ who: undefined, time: undefined }));
    expect(screen.getByRole('region', { name: /Who/ })).toHaveTextContent('Whom to see');
    expect(screen.queryByRole('region', { name: /How and when/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /What for/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Check and book/ })).not.toBeInTheDocument();

    rerender(form({ time: undefined }));
    expect(whenRegion()).toHaveTextContent('Which time');
    expect(screen.getByRole('region', { name: /What for/ })).toContainElement(reasonInput());
    expect(screen.getByRole('region', { name: /Check and book/ })).toHaveTextContent('Choose a time');
    expect(bookButton()).toBeDisabled();
  });

  it('books the chosen time with its channel, the reason and the comment, and hands back what the server stored', async () => {
    const user = userEvent.setup();
    const onBooked = vi.fn();
    answerPostsWith((proposed) => fhirJson(storeBooking(fake.world, proposed), { status: 201 }));
    const time: ChosenTime = { ...firstSlot(), channel: 'video' };
    renderApp(form({ onBooked, time }));
    expect(screen.getByRole('region', { name: /Check and book/ })).toHaveTextContent(
      /WithDr Mere Parata.*WherePonsonby Family Health.*HowVideo call/,
    );
    await giveReason(user, '  Sore knee  ');
    await user.type(screen.getByRole('textbox', { name: /Anything else/ }), 'Since Tuesday.');
    await user.click(bookButton());

    await vi.waitFor(() => expect(onBooked).toHaveBeenCalledOnce());
    expect(onBooked).toHaveBeenCalledWith(
      expect.objectContaining({
        appointment: expect.objectContaining({ id: 'appt-1', status: 'booked' }),
        recovered: false,
      }),
      time,
    );
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]).toMatchObject({
      status: 'proposed',
      description: 'Sore knee',
      comment: 'Since Tuesday.',
      extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: 'video' }],
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1', display: 'Aroha Ngata' } },
        { actor: { reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' } },
        { actor: { reference: 'Location/loc-1', display: 'Ponsonby Family Health' } },
      ],
    });
  });

  it('checks the shared rules first: a time that has passed is not sent, and its message is beside the time, which takes the focus', async () => {
    const user = userEvent.setup();
    const past = new Date(Date.now() - 60 * 60_000);
    renderApp(form({ time: { ...firstSlot(), start: past.toISOString(), startsAt: past } }));
    await giveReason(user);
    await user.click(bookButton());

    expect(whenRegion()).toHaveAccessibleDescription('The start is in the past: choose a time that is still to come.');
    expect(screen.getByRole('heading', { name: /How and when/ })).toHaveFocus();
    expect(fake.posted).toEqual([]);
  });

  it('asks for the reason before sending, and says at once when the reason or comment is too long', async () => {
    const user = userEvent.setup();
    renderApp(form());
    await user.click(bookButton());
    expect(reasonInput()).toHaveFocus();
    expect(reasonInput()).toBeInvalid();
    expect(reasonInput()).toHaveAccessibleDescription(expect.stringContaining('Say briefly what the visit is for.'));
    expect(fake.posted).toEqual([]);

    await user.type(reasonInput(), 'a'.repeat(101));
    expect(reasonInput()).toHaveAccessibleDescription(
      expect.stringContaining('The reason for the visit can be at most 100 characters; this is 101.'),
    );
    await user.click(screen.getByRole('textbox', { name: /Anything else/ }));
    await user.paste('b'.repeat(501));
    expect(screen.getByRole('textbox', { name: /Anything else/ })).toBeInvalid();
    await user.click(bookButton());
    expect(fake.posted).toEqual([]);
  });

  it("puts the server's refusal of the reason beside the reason, and of the time beside the time", async () => {
    const user = userEvent.setup();
    answerPostsWith(() =>
      outcome(422, [
        { code: 'too-long', diagnostics: 'The reason is too long.', expression: ['Appointment.description'] },
        {
          code: 'business-rule',
          diagnostics: 'Online bookings close 1 hour before the start: choose a later time, or phone the clinic.',
          expression: ['Appointment.start'],
        },
      ]),
    );
    renderApp(form());
    await giveReason(user);
    await user.click(bookButton());

    expect(await screen.findByRole('alert')).toHaveTextContent('The appointment was not booked.');
    expect(reasonInput()).toHaveAccessibleDescription(expect.stringContaining('The reason is too long.'));
    expect(whenRegion()).toHaveAccessibleDescription(
      'Online bookings close 1 hour before the start: choose a later time, or phone the clinic.',
    );
  });

  it('the patient already booked at that time (409 duplicate on the start) is told so in their words, beside the time', async () => {
    const user = userEvent.setup();
    const onSlotTaken = vi.fn();
    answerPostsWith(() =>
      outcome(409, [
        {
          code: 'duplicate',
          diagnostics: 'The patient already has an appointment booked at an overlapping time.',
          expression: ['Appointment.start'],
        },
      ]),
    );
    renderApp(form({ onSlotTaken }));
    await giveReason(user);
    await user.click(bookButton());

    await screen.findByRole('alert');
    expect(whenRegion()).toHaveAccessibleDescription(
      /^You already have an appointment booked at .+ \(with this or another practitioner\): choose another time\.$/,
    );
    expect(onSlotTaken).not.toHaveBeenCalled();
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
    await giveReason(user);
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
    await giveReason(user);
    await user.click(bookButton());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The appointment was not booked.');
    expect(alert).toHaveTextContent('The clinic is closed for stocktake.');
    expect(alert).toHaveTextContent('The start is in the past.');
    expect(alert.parentElement).toHaveFocus();
    rerender(form({ who: 'anyone' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(whenRegion()).not.toHaveAccessibleDescription();
  });

  it('after a lost answer says to book again, and booking again finds the first booking instead of making another', async () => {
    const user = userEvent.setup();
    const onBooked = vi.fn();
    answerPostsWith((proposed) => {
      storeBooking(fake.world, proposed);
      return HttpResponse.error();
    });
    renderApp(form({ onBooked }));
    await giveReason(user);
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
