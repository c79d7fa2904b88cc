import type { Appointment } from 'fhir/r4';
import { act, waitFor } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '../../../lib/queryKeys';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import { fhirJson, outcome, storeBooking } from '../../../test/fhirFixtures';
import { setUpFakeFhirServer } from '../../../test/fakeFhirServer';
import { renderHookInApp } from '../../../test/renderApp';
import { proposedAppointment } from '../api/proposedAppointment';
import { useBookingSubmission, type SubmissionOutcome } from './useBookingSubmission';

const fake = setUpFakeFhirServer();
const { answerPostsWith } = fake;

function firstSlotAppointment(): Appointment {
  const slot = fake.world.slots[0];
  return proposedAppointment(
    {
      patient: 'pat-1',
      practitioner: 'prac-1',
      location: 'loc-1',
      slot: slot.id ?? '',
      start: slot.start,
      end: slot.end,
    },
    { patient: 'Aroha Ngata' },
  );
}

async function submitted(submit: (appointment: Appointment) => Promise<SubmissionOutcome>): Promise<SubmissionOutcome> {
  let answer: SubmissionOutcome | undefined;
  await act(async () => {
    answer = await submit(firstSlotAppointment());
  });
  if (!answer) throw new Error('The submit did not settle.');
  return answer;
}

describe('useBookingSubmission', () => {
  it('books, and sends nothing for a second submit while the first is on its way', async () => {
    answerPostsWith((proposed) => fhirJson(storeBooking(fake.world, proposed), { status: 201 }));
    const { result } = renderHookInApp(useBookingSubmission);
    let first: Promise<SubmissionOutcome> | undefined;
    let second: SubmissionOutcome | undefined;
    await act(async () => {
      first = result.current.submit(firstSlotAppointment());
      second = await result.current.submit(firstSlotAppointment());
    });
    expect(second).toEqual({ kind: 'busy' });
    expect(await first).toMatchObject({
      kind: 'booked',
      result: { appointment: { id: 'appt-1', status: 'booked' }, recovered: false },
    });
    expect(fake.posted).toHaveLength(1);
    expect(result.current).toMatchObject({ pending: false, uncertain: false });
  });

  it('after a lost answer is uncertain, and the next submit finds the booking it made instead of posting again', async () => {
    answerPostsWith((proposed) => {
      storeBooking(fake.world, proposed);
      return HttpResponse.error();
    });
    const { result } = renderHookInApp(useBookingSubmission);
    expect(await submitted(result.current.submit)).toEqual({ kind: 'uncertain' });
    expect(result.current.uncertain).toBe(true);

    expect(await submitted(result.current.submit)).toMatchObject({
      kind: 'booked',
      result: { appointment: { id: 'appt-1' }, recovered: true },
    });
    expect(result.current.uncertain).toBe(false);
    expect(fake.posted).toHaveLength(1);
    expect(
      fake.world.requests.some(
        (request) => request.startsWith('GET /Appointment?') && request.includes('status=booked'),
      ),
    ).toBe(true);
  });

  it('after a lost answer, posts once more with If-None-Exist where the server declares conditional create, and takes its 200 as the earlier booking', async () => {
    fake.world.conditionalCreate = true;
    let earlier: Appointment | undefined;
    const conditions: Array<string | null> = [];
    answerPostsWith((proposed, request) => {
      conditions.push(request.headers.get('If-None-Exist'));
      if (!earlier) {
        earlier = storeBooking(fake.world, proposed);
        return HttpResponse.error();
      }
      return fhirJson(earlier, { status: 200 });
    });
    const { result } = renderHookInApp(() => ({
      submission: useBookingSubmission(),
      capabilities: useServerCapabilities(),
    }));
    // The screens read the capabilities on opening; the retry uses what they say.
    await waitFor(() => expect(result.current.capabilities.supportsConditionalCreate('Appointment')).toBe(true));
    expect(await submitted(result.current.submission.submit)).toEqual({ kind: 'uncertain' });
    expect(await submitted(result.current.submission.submit)).toMatchObject({
      kind: 'booked',
      result: { appointment: { id: earlier?.id }, recovered: true },
    });
    expect(conditions[0]).toBeNull();
    const condition = new URLSearchParams(conditions[1] ?? '');
    expect(condition.get('patient')).toBe('Patient/pat-1');
    expect(condition.get('practitioner')).toBe('Practitioner/prac-1');
    expect(condition.get('status')).toBe('booked');
    expect(condition.getAll('date')).toEqual([
      `ge${firstSlotAppointment().start}`,
      `le${firstSlotAppointment().start}`,
    ]);
    // No search: the server decided in the booking's own transaction.
    expect(fake.world.requests.some((request) => request.startsWith('GET /Appointment?'))).toBe(false);
  });

  it('says when the slot was taken meanwhile, and has the free slots looked at again', async () => {
    answerPostsWith(() =>
      outcome(409, [
        {
          code: 'duplicate',
          diagnostics: 'That slot has just been booked by someone else.',
          expression: ['Appointment.slot[0]'],
        },
      ]),
    );
    const { result, queryClient } = renderHookInApp(useBookingSubmission);
    const week = queryKeys.slots.week('prac-1', ['sched-1'], '2031-03-03', 'Pacific/Auckland');
    const anyone = queryKeys.slots.firstAvailable({
      locationId: 'loc-1',
      role: '',
      channel: '',
      partOfDay: '',
      from: '2031-03-03',
      days: 7,
      onlineOnly: true,
      timeZone: 'Pacific/Auckland',
      server: { serviceType: true, channel: true },
    });
    queryClient.setQueryData(week, []);
    queryClient.setQueryData(anyone, []);

    const answer = await submitted(result.current.submit);
    expect(answer).toEqual({
      kind: 'refused',
      refusal: {
        reason: 'That clashes with something already booked.',
        slotTaken: true,
        patientBusy: false,
        fields: { slot: ['That slot has just been booked by someone else.'] },
        summary: [],
      },
    });
    expect(queryClient.getQueryState(week)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(anyone)?.isInvalidated).toBe(true);
  });

  it("puts the server's issues beside the fields their expressions name, the rest in a summary", async () => {
    answerPostsWith(() =>
      outcome(422, [
        { code: 'business-rule', diagnostics: 'The start is in the past.', expression: ['Appointment.start'] },
        { code: 'processing', diagnostics: 'The clinic is closed for stocktake.' },
      ]),
    );
    const { result } = renderHookInApp(useBookingSubmission);
    expect(await submitted(result.current.submit)).toEqual({
      kind: 'refused',
      refusal: {
        reason: 'The server refused it: a booking rule was not met.',
        slotTaken: false,
        patientBusy: false,
        fields: { start: ['The start is in the past.'] },
        summary: ['The clinic is closed for stocktake.'],
      },
    });
    expect(result.current.uncertain).toBe(false);
  });

  it("tells the patient's own overlap (409 duplicate on the start) from a slot taken by someone else", async () => {
    answerPostsWith(() =>
      outcome(409, [
        {
          code: 'duplicate',
          diagnostics: 'The patient already has an appointment booked at an overlapping time.',
          expression: ['Appointment.start'],
        },
      ]),
    );
    const { result } = renderHookInApp(useBookingSubmission);
    const answer = await submitted(result.current.submit);
    expect(answer.kind === 'refused' && answer.refusal).toMatchObject({
      slotTaken: false,
      patientBusy: true,
      fields: { start: ['The patient already has an appointment booked at an overlapping time.'] },
    });
  });
});
