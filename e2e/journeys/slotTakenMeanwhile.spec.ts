import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { BookingPage } from '../pages/BookingPage';
import { expectFact } from '../pages/facts';
import { slotWhen } from '../support/clinicText';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const emily = WELL_KNOWN.patientHyphenated;
const PRACTITIONER = 'prac-tuilagi';
/** Another patient, booked by another receptionist through the API. */
const OTHER_PATIENT = 'pat-00010';

test('a slot booked by someone else while the form is open is refused with a plain message, and another slot can then be booked', async ({
  page,
  api,
}) => {
  const booking = new BookingPage(page);
  const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
  let wanted: Slot;
  let other: Slot;

  await test.step(`Given ${practitionerName} has two free slots`, async () => {
    [wanted, other] = await api.freeSlots(PRACTITIONER);
  });

  await test.step(`And the receptionist has the booking form open for ${emily.given} ${emily.family}, with the first slot chosen`, async () => {
    await signInAsReceptionist(page);
    await booking.goto({ patient: emily.id });
    await booking.choosePractitioner(practitionerName);
    await booking.chooseSlot(wanted);
  });

  await test.step('When another receptionist books that slot through the API', async () => {
    await api.book(OTHER_PATIENT, PRACTITIONER, wanted);
  });

  await test.step('And she presses "Book appointment"', async () => {
    await booking.book();
  });

  await test.step('Then she is told it was booked by someone else, the slot is no longer offered, and her other choices are kept', async () => {
    const lost = booking.form.getByText(
      new RegExp(`The time you chose, ${slotWhen(wanted).source}, was booked by someone else a moment ago`),
    );
    await expect(lost).toBeVisible();
    await expect(lost).toBeFocused();
    await expect(booking.slotRadio(wanted)).toHaveCount(0);
    await expect(booking.practitionerField).toHaveValue(practitionerName);
    await expectFact(booking.check, 'Time', 'Not chosen yet');
    expect(await api.bookedOnSlot(emily.id, wanted)).toEqual([]);
  });

  await test.step('When she chooses another free slot and books', async () => {
    await booking.chooseSlot(other);
    await booking.book();
  });

  await test.step('Then that one is booked for her, and the first stays with the other patient', async () => {
    await expect(booking.confirmation).toBeVisible();
    expect(await api.bookedOnSlot(emily.id, other)).toHaveLength(1);
    expect(await api.bookedOnSlot(OTHER_PATIENT, wanted)).toHaveLength(1);
  });
});
