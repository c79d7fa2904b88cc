import type { Slot } from 'fhir/r4';
import { clinicDate, DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { formatClinicTime, humanName } from '../../src/lib/format';
import { BookingPage } from '../pages/BookingPage';
import { DiaryPage } from '../pages/DiaryPage';
import { FindPatientPage } from '../pages/FindPatientPage';
import { DESK_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

const clinic = WELL_KNOWN.location;
const hemi = WELL_KNOWN.patientWithMacron;
const hemiName = `${hemi.given} ${hemi.family}`;
const aroha = WELL_KNOWN.patient;
const arohaName = `${aroha.given} ${aroha.family}`;

/** "8:30 am", spaces matched loosely (ICU versions differ on narrow no-break spaces). */
function timeOf(slot: Slot): RegExp {
  return new RegExp(formatClinicTime(new Date(slot.start), DEFAULT_CLINIC_TIME_ZONE).replace(/\s+/g, '\\s*'));
}

function dayOf(slot: Slot): string {
  return clinicDate(new Date(slot.start), DEFAULT_CLINIC_TIME_ZONE);
}

test(`the receptionist books from a free slot in the diary, keyboard only, and is back in the diary with it booked ${DESK_ONLY}`, async ({
  page,
  api,
}, testInfo) => {
  const diary = new DiaryPage(page);
  const find = new FindPatientPage(page);
  const booking = new BookingPage(page);
  const practitionerName = humanName((await api.practitioner(WELL_KNOWN.practitioner.id)).name);
  const slot = (await api.freeSlots(WELL_KNOWN.practitioner.id))[1];

  await test.step(`Given the receptionist has the diary of ${clinic.name} open on the day of a free slot of ${practitionerName}`, async () => {
    await signInAsReceptionist(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Diary' }).click();
    await expect(diary.heading).toBeVisible();
    await diary.locationSelect.selectOption({ label: clinic.name });
    await diary.dayInput.fill(dayOf(slot));
    await expect(page).toHaveURL(
      new RegExp(`location=${clinic.id}.*date=${dayOf(slot)}|date=${dayOf(slot)}.*location=${clinic.id}`),
    );
    await expect(diary.column(practitionerName)).toBeVisible();
    await checkScreen(page, testInfo, 'diary day');
  });

  await test.step(`When she presses "Book … with ${practitionerName}" on the free slot with the keyboard`, async () => {
    await diary.freeSlot(practitionerName, timeOf(slot)).focus();
    await page.keyboard.press('Enter');
  });

  await test.step('Then the booking opens with the time chosen and the patient search focused', async () => {
    await expect(booking.heading).toBeVisible();
    await expect(find.searchField).toBeFocused();
  });

  await test.step(`When she finds ${hemiName} and books`, async () => {
    await page.keyboard.type(hemi.nhi);
    await find.result(new RegExp(hemiName)).focus();
    await page.keyboard.press('Enter');
    await expect(booking.practitionerField).toHaveValue(practitionerName);
    await expect(booking.slotRadio(slot)).toBeChecked();
    await booking.bookButton.focus();
    await page.keyboard.press('Enter');
  });

  await test.step("Then she is back in the diary of that day, which names the booking and shows it in the practitioner's column", async () => {
    await expect(diary.heading).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^Booked / })).toContainText(hemiName);
    const booked = diary.appointment(practitionerName, timeOf(slot), hemiName);
    await expect(booked).toContainText(`NHI ${hemi.nhi}`);
    await expect(booked).toContainText('Booked');
    await expect(diary.freeSlot(practitionerName, timeOf(slot))).toHaveCount(0);
    await expect.poll(async () => (await api.bookedOnSlot(hemi.id, slot)).length).toBe(1);
  });

  await test.step('And its detail shows the appointment and closes with Escape', async () => {
    await diary.appointment(practitionerName, timeOf(slot), hemiName).getByRole('button', { name: hemiName }).click();
    const detail = page.getByRole('dialog', { name: `Appointment: ${hemiName}` });
    await expect(detail).toContainText(practitionerName);
    await checkScreen(page, testInfo, 'diary appointment detail');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
  });
});

test(`the printed day sheet has one table per practitioner and no navigation or buttons ${DESK_ONLY}`, async ({
  page,
  api,
}, testInfo) => {
  const diary = new DiaryPage(page);
  const practitionerName = humanName((await api.practitioner(WELL_KNOWN.practitioner.id)).name);
  const slot = (await api.freeSlots(WELL_KNOWN.practitioner.id))[2];

  await test.step(`Given ${arohaName} is booked with ${practitionerName} (through the API)`, async () => {
    await api.book(aroha.id, WELL_KNOWN.practitioner.id, slot, clinic.id);
  });

  await test.step('When the receptionist opens that day and prints it (print media)', async () => {
    await signInAsReceptionist(page);
    await diary.goto({ location: clinic.id, date: dayOf(slot) });
    await expect(diary.appointment(practitionerName, timeOf(slot), arohaName)).toBeVisible();
    await expect(diary.printButton).toBeVisible();
    await page.emulateMedia({ media: 'print' });
  });

  await test.step('Then the sheet has a table for the practitioner with time, patient, NHI, type and channel, and nothing else of the screen', async () => {
    const table = diary.daySheet.getByRole('table', { name: practitionerName });
    await expect(table).toBeVisible();
    await expect(table.getByRole('columnheader')).toHaveText(['Time', 'Patient', 'NHI', 'Type', 'Channel']);
    await expect(table.getByRole('row').filter({ hasText: arohaName })).toContainText(aroha.nhi);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await expect(diary.printButton).toBeHidden();
    await expect(page.getByRole('group', { name: 'Diary' })).toBeHidden();
    const path = testInfo.outputPath('diary-day-sheet-print.png');
    await testInfo.attach('day sheet (print)', {
      body: await page.screenshot({ path, fullPage: true }),
      contentType: 'image/png',
    });
    await page.pdf({ path: testInfo.outputPath('diary-day-sheet.pdf'), format: 'A4', printBackground: false });
  });
});

test(`a booking made at another desk appears in an open diary within 10 s, without a reload ${DESK_ONLY}`, async ({
  page,
  browser,
  api,
}) => {
  const diary = new DiaryPage(page);
  const practitionerName = humanName((await api.practitioner(WELL_KNOWN.practitioner.id)).name);
  const slot = (await api.freeSlots(WELL_KNOWN.practitioner.id))[3];
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  const otherDiary = new DiaryPage(otherPage);

  await test.step('Given two desks have the same diary day open', async () => {
    await signInAsReceptionist(page);
    await diary.goto({ location: clinic.id, date: dayOf(slot) });
    await signInAsReceptionist(otherPage);
    await otherDiary.goto({ location: clinic.id, date: dayOf(slot) });
    await expect(diary.freeSlot(practitionerName, timeOf(slot))).toBeVisible();
  });

  await test.step(`When the other desk books ${hemiName} into the free slot`, async () => {
    await otherDiary.freeSlot(practitionerName, timeOf(slot)).click();
    await new FindPatientPage(otherPage).search(hemi.nhi);
    await new FindPatientPage(otherPage).choose(new RegExp(hemiName));
    await new BookingPage(otherPage).book();
    await expect(otherDiary.appointment(practitionerName, timeOf(slot), hemiName)).toBeVisible();
  });

  await test.step('Then the first desk sees it in place of the free slot within 10 s, with no reload', async () => {
    let reloaded = false;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloaded = true;
    });
    await expect(diary.appointment(practitionerName, timeOf(slot), hemiName)).toBeVisible({ timeout: 10_000 });
    await expect(diary.freeSlot(practitionerName, timeOf(slot))).toHaveCount(0);
    expect(reloaded).toBe(false);
  });
  await other.close();
});

test(`a location's diary renders from at most 3 FHIR requests, and an unchanged diary's poll is 304s of a few hundred bytes ${DESK_ONLY}`, async ({
  page,
}, testInfo) => {
  const diary = new DiaryPage(page);
  const seen: Array<{ url: string; status: number; bytes: number }> = [];
  await signInAsReceptionist(page);

  await test.step('When the diary of the clinic opens', async () => {
    page.on('response', async (response) => {
      if (!new URL(response.url()).pathname.startsWith('/fhir/')) return;
      const sizes = await response
        .request()
        .sizes()
        .catch(() => ({ responseHeadersSize: -1, responseBodySize: 0 }));
      seen.push({
        url: response.url(),
        status: response.status(),
        bytes: sizes.responseHeadersSize + sizes.responseBodySize,
      });
    });
    await diary.goto({ location: clinic.id, date: '2026-12-01' });
    await expect(diary.column('Dr Mere Parata')).toBeVisible();
  });

  await test.step('Then it took at most 3 FHIR requests', async () => {
    // The sign-in's discovery and the CapabilityStatement come once per tab, whatever the screen.
    const rendering = seen.filter((entry) => !entry.url.endsWith('/metadata') && !entry.url.includes('/.well-known/'));
    testInfo.annotations.push({
      type: 'diary requests',
      description: rendering.map((entry) => `${entry.status} ${entry.bytes} B ${entry.url}`).join('\n'),
    });
    expect(rendering.length).toBeLessThanOrEqual(3);
  });

  await test.step('And each later poll of the unchanged day is a 304', async () => {
    const before = seen.length;
    await page.waitForTimeout(11_000);
    const polls = seen.slice(before);
    testInfo.annotations.push({
      type: 'diary poll',
      description: polls.map((entry) => `${entry.status} ${entry.bytes} B ${entry.url}`).join('\n'),
    });
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((entry) => entry.status === 304)).toBe(true);
  });
});
