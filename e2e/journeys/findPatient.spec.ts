import { humanName } from '../../src/lib/format';
import { WELL_KNOWN } from '../../server/seed/demoData';
import { FindPatientPage } from '../pages/FindPatientPage';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

test('the search box has the focus when the app opens, and finds O\'Brien as "obrien" or "O’Brien", and an NHI typed with a space', async ({
  page,
  api,
}) => {
  const find = new FindPatientPage(page);
  const aroha = WELL_KNOWN.patient;
  let obriens: string[] = [];

  await test.step("Given the clinic has patients named O'Brien", async () => {
    obriens = (await api.patientsWithFamily("O'Brien")).map((patient) => humanName(patient.name));
    expect(obriens.length, "demo patients named O'Brien").toBeGreaterThan(0);
  });

  await test.step('When the receptionist opens the app, she can type in the search at once', async () => {
    await signInAsReceptionist(page);
    await expect(find.heading).toBeVisible();
    await expect(find.searchField).toBeFocused();
  });

  for (const typed of ['obrien', 'O’Brien', "o'brien"]) {
    await test.step(`When she types "${typed}", every O'Brien is found`, async () => {
      await find.searchField.fill(typed);
      for (const name of obriens)
        await expect(find.result(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))).toBeVisible();
    });
  }

  await test.step(`When she types the NHI with a space, "ZAC 5361", ${aroha.given} ${aroha.family} is found`, async () => {
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ZAC 5361');
    await expect(find.result(new RegExp(`^${aroha.given} ${aroha.family}.*NHI ${aroha.nhi}`))).toBeVisible();
  });
});
