import type { Slot } from 'fhir/r4';
import { humanName } from '../../src/lib/format';
import { KNOWN_PATIENTS, patientId } from '../../server/seed/patients';
import { BookingPage } from '../pages/BookingPage';
import { FindPatientPage } from '../pages/FindPatientPage';
import { weeksAhead } from '../support/clinicText';
import { tabTo } from '../support/keyboard';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const tane = { ...KNOWN_PATIENTS[3], id: patientId(3) };
const taneName = `${tane.given[0]} ${tane.family}`;
const PRACTITIONER = 'prac-fifita';

test('a receptionist books with the keyboard alone: Tab, arrows, typing, Space and Enter', async ({ page, api }) => {
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const practitionerName = humanName((await api.practitioner(PRACTITIONER)).name);
  let slot: Slot;

  await test.step(`Given the first free slot of ${practitionerName} next week (every slot of that week is still to come)`, async () => {
    const nextWeek = (await api.freeSlots(PRACTITIONER, 200)).filter((free) => weeksAhead(free) === 1);
    expect(nextWeek.length, 'free slots next week').toBeGreaterThan(0);
    slot = nextWeek[0];
  });

  await test.step('And the receptionist is signed in, on "Find a patient"', async () => {
    await signInAsReceptionist(page);
    await expect(find.heading).toBeVisible();
  });

  await test.step(`When she tabs to the search field, types NHI ${tane.nhi}, arrows down to the result and presses Enter`, async () => {
    await tabTo(page, find.searchField);
    await page.keyboard.type(tane.nhi);
    await expect(find.result(new RegExp(taneName))).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(find.result(new RegExp(taneName))).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(booking.heading).toBeVisible();
  });

  await test.step(`And tabs to "Practitioner", types "${practitionerName.split(' ').at(-1)}", tabs to ${practitionerName} and presses Enter`, async () => {
    await tabTo(page, booking.practitionerField);
    await page.keyboard.type(practitionerName.split(' ').at(-1) ?? practitionerName);
    const result = booking.practitionerResults.getByRole('button', { name: practitionerName });
    await expect(result).toBeVisible();
    await tabTo(page, result);
    await page.keyboard.press('Enter');
    await expect(booking.practitionerField).toHaveValue(practitionerName);
  });

  await test.step('And tabs to "Next week" and presses Enter', async () => {
    await tabTo(page, booking.nextWeekButton);
    const before = await booking.slotSection.getByRole('heading').textContent();
    await page.keyboard.press('Enter');
    await expect(booking.slotSection.getByRole('heading')).not.toHaveText(before ?? '');
  });

  await test.step("And tabs into the free slots, lands on the week's first slot and selects it with Space", async () => {
    await tabTo(page, booking.slotRadio(slot));
    await page.keyboard.press('Space');
    await expect(booking.slotRadio(slot)).toBeChecked();
  });

  await test.step('And tabs to "Book appointment" and presses Enter', async () => {
    await tabTo(page, booking.bookButton);
    await page.keyboard.press('Enter');
  });

  await test.step('Then the confirmation takes the focus, and the server has exactly that booking', async () => {
    await expect(booking.confirmation.getByRole('heading', { name: /Appointment booked/ })).toBeFocused();
    expect(await api.bookedOnSlot(tane.id, slot)).toHaveLength(1);
  });
});
