import type { Page, Route } from '@playwright/test';
import type { Slot } from 'fhir/r4';
import { BookingPage } from '../pages/BookingPage';
import { FindPatientPage } from '../pages/FindPatientPage';
import { SignInPage } from '../pages/SignInPage';
import type { FhirApi } from '../support/fhirApi';
import { DESK_ONLY } from '../support/projects';
import { checkScreen } from '../support/screens';
import { signInAsReceptionist } from '../support/signIn';
import { expect, test } from '../support/test';

// The browser's network is what is under test, not the layout: one viewport is enough.

/** Only the booking itself (POST /fhir/Appointment); reads pass untouched. */
const APPOINTMENT_POSTS = '**/fhir/Appointment';

async function onlyPosts(route: Route, handle: (route: Route) => Promise<void>): Promise<void> {
  if (route.request().method() === 'POST') await handle(route);
  else await route.fallback();
}

/** Signs in, opens the booking form for the patient with the practitioner's first free slot chosen. */
async function formReadyToBook(
  page: Page,
  api: FhirApi,
  patientId: string,
  practitionerId: string,
): Promise<{ booking: BookingPage; slot: Slot }> {
  const booking = new BookingPage(page);
  const slot = await api.firstFreeSlot(practitionerId);
  await signInAsReceptionist(page);
  await booking.goto({ patient: patientId, practitioner: practitionerId });
  await booking.chooseSlot(slot);
  return { booking, slot };
}

test(
  'a booking whose POST never reaches the server keeps the form and offers a retry that books it once',
  { tag: DESK_ONLY },
  async ({ page, api }, testInfo) => {
    const patient = 'pat-00011';
    let booking: BookingPage;
    let slot: Slot;

    await test.step('Given the receptionist has chosen a free slot for a patient', async () => {
      ({ booking, slot } = await formReadyToBook(page, api, patient, 'prac-sharma'));
    });

    await test.step('And the network fails every booking request before it reaches the server', async () => {
      await page.route(APPOINTMENT_POSTS, (route) => onlyPosts(route, (post) => post.abort('internetdisconnected')));
    });

    await test.step('When she presses "Book appointment"', async () => {
      await booking.book();
    });

    await test.step('Then she is told the booking could not be confirmed, offered "Try again", and her choices are kept', async () => {
      await expect(booking.problem).toContainText('The booking could not be confirmed: the server did not answer.');
      await expect(booking.retryButton).toBeVisible();
      await expect(booking.slotRadio(slot)).toBeChecked();
      expect(await api.bookedOnSlot(patient, slot)).toEqual([]);
      await checkScreen(page, testInfo, 'booking not confirmed');
    });

    await test.step('When the network is back and she presses "Try again"', async () => {
      await page.unroute(APPOINTMENT_POSTS);
      await booking.retryButton.click();
    });

    await test.step('Then it is booked, exactly once', async () => {
      await expect(booking.confirmation).toBeVisible();
      expect(await api.bookedOnSlot(patient, slot)).toHaveLength(1);
    });
  },
);

test(
  'a retry after a lost answer finds the booking the first attempt made instead of booking twice',
  { tag: DESK_ONLY },
  async ({ page, api }) => {
    const patient = 'pat-00012';
    const posts: Array<string | null> = [];
    let booking: BookingPage;
    let slot: Slot;

    await test.step('Given the receptionist has chosen a free slot for a patient', async () => {
      ({ booking, slot } = await formReadyToBook(page, api, patient, 'prac-whitaker'));
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/fhir/Appointment')
          posts.push(request.headers()['if-none-exist'] ?? null);
      });
    });

    await test.step("And the booking request reaches the server but the server's answer is lost on the way back", async () => {
      await page.route(APPOINTMENT_POSTS, (route) =>
        onlyPosts(route, async (post) => {
          const answer = await post.fetch();
          expect(answer.status(), 'the server stored the booking').toBe(201);
          await post.abort('connectionreset');
        }),
      );
    });

    await test.step('When she presses "Book appointment"', async () => {
      await booking.book();
    });

    await test.step('Then she is told it could not be confirmed (though the server has it)', async () => {
      await expect(booking.retryButton).toBeVisible();
      expect(await api.bookedOnSlot(patient, slot)).toHaveLength(1);
    });

    await test.step('When the network is back and she presses "Try again"', async () => {
      await page.unroute(APPOINTMENT_POSTS);
      await booking.retryButton.click();
    });

    await test.step('Then she sees the booking the first attempt made, and there is still exactly one', async () => {
      await expect(booking.confirmation).toBeVisible();
      await expect(booking.confirmation).toContainText('it was not booked twice');
      expect(await api.bookedOnSlot(patient, slot)).toHaveLength(1);
      // The server declares conditional create, so the retry is one more POST with If-None-Exist, answered 200.
      expect(posts, 'booking requests sent').toEqual([null, expect.stringContaining('patient=Patient%2Fpat-00012')]);
    });
  },
);

test(
  'a server answering slowly shows progress and asks not to book again, then confirms',
  { tag: DESK_ONLY },
  async ({ page, api }) => {
    const patient = 'pat-00013';
    let booking: BookingPage;
    let slot: Slot;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));

    await test.step('Given the receptionist has chosen a free slot for a patient', async () => {
      ({ booking, slot } = await formReadyToBook(page, api, patient, 'prac-kereama'));
    });

    await test.step('And the server holds its answer to the booking until the test lets it go', async () => {
      await page.route(APPOINTMENT_POSTS, (route) =>
        onlyPosts(route, async (post) => {
          await answered;
          await post.continue();
        }),
      );
    });

    await test.step('When she presses "Book appointment"', async () => {
      await booking.book();
    });

    await test.step('Then she sees "Booking…", the button says it is busy, and after a few seconds that the server is slow', async () => {
      await expect(booking.progress).toContainText('Booking…');
      await expect(booking.bookButton).toHaveAttribute('aria-busy', 'true');
      await expect(booking.progress).toContainText(
        'The server is slow to answer; still waiting. Please do not book again.',
        { timeout: 10_000 },
      );
    });

    await test.step('When the server answers', async () => {
      answer();
    });

    await test.step('Then the booking is confirmed, once', async () => {
      await expect(booking.confirmation).toBeVisible();
      expect(await api.bookedOnSlot(patient, slot)).toHaveLength(1);
    });
  },
);

test(
  'a server that is down says so, while working and when the app is opened',
  { tag: DESK_ONLY },
  async ({ page }, testInfo) => {
    const find = new FindPatientPage(page);
    let signIn: SignInPage;

    await test.step('Given the receptionist is signed in, on "Find a patient"', async () => {
      await signInAsReceptionist(page);
      await expect(find.heading).toBeVisible();
    });

    await test.step('And the FHIR server stops answering', async () => {
      await page.context().route('**/fhir/**', (route) => route.abort('connectionrefused'));
    });

    await test.step('When she searches for a patient', async () => {
      await find.search('Ngata');
    });

    await test.step('Then she is told the server cannot be reached, with a way to try again', async () => {
      await expect(find.results.getByRole('alert')).toContainText('The FHIR server cannot be reached.');
      await expect(find.results.getByRole('button', { name: 'Try again' })).toBeVisible();
      await checkScreen(page, testInfo, 'server down while searching');
    });

    // A new tab: the one she had keeps the server's SMART discovery for its life, so it would not ask again.
    await test.step('When she opens the app in a new tab while it is still down', async () => {
      const tab = await page.context().newPage();
      signIn = new SignInPage(tab);
      await tab.goto('/');
    });

    await test.step('Then the sign-in screen says the server cannot be reached', async () => {
      await expect(signIn.appHeading).toBeVisible();
      await expect(signIn.page.getByRole('alert')).toContainText('The FHIR server cannot be reached.');
      await checkScreen(signIn.page, testInfo, 'server down at start');
    });
  },
);
