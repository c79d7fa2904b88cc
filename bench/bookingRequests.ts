/**
 * What one booking costs in HTTP requests, from an empty page in a fresh browser: the receptionist opens
 * the app, signs in on the server's page, finds a patient by the first three letters of the name,
 * picks a practitioner and the first free slot, and books. Every request the browser sends passes a
 * counting proxy in front of the server (one the browser answers from its cache is not counted). The
 * budget is on the app's own requests (Sec-Fetch-Dest `empty`: config, discovery, tokens, FHIR); the
 * page loads of the sign-in round trip and the build's files are listed beside them.
 *
 * The app's requests today (11): config.json and SMART discovery (each once per tab), the token; the patient
 * search; the patient's appointments, the practitioners and every schedule (the picker's roles and places,
 * which also answer the chosen practitioner's schedules); metadata (how this server books); the week's free
 * slots; the POST; and the week's free slots again, since the booking changed them. The patient's list takes
 * the POST's answer instead of a second search when it holds the practitioner and clinic the booking names.
 */
import { existsSync } from 'node:fs';
import { chromium, expect, type Page } from '@playwright/test';
import type { Bundle, Patient, Practitioner } from 'fhir/r4';
import { DEFAULT_DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME } from '../server/auth/demoAccounts';
import type { ChildServer } from '../server/test/childServer';
import { startRoundRobinProxy, type ReceivedRequest } from '../server/test/roundRobinProxy';
import { AppShell } from '../e2e/pages/AppShell';
import { BookingPage } from '../e2e/pages/BookingPage';
import { FindPatientPage } from '../e2e/pages/FindPatientPage';
import { SignInPage } from '../e2e/pages/SignInPage';
import type { Figure } from './stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

async function first<T>(server: ChildServer, query: string): Promise<T> {
  const response = await fetch(`${server.origin}/fhir/${query}`, { headers: server.headers });
  const bundle = (await response.json()) as Bundle;
  const found = bundle.entry?.[0]?.resource;
  if (!found) throw new Error(`${query} found nothing`);
  return found as T;
}

async function bookOnce(page: Page, patientFamily: string, practitionerFamily: string): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.open('/');
  await signIn.signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
  await expect(new AppShell(page).signOutButton).toBeVisible();
  const find = new FindPatientPage(page);
  await expect(find.heading).toBeVisible();
  await find.search(patientFamily.slice(0, 3));
  await find.results.getByRole('button').first().click();
  const booking = new BookingPage(page);
  await expect(booking.heading).toBeVisible();
  await booking.practitionerField.fill(practitionerFamily);
  await booking.practitionerResults.getByRole('button').first().click();
  // This week may have no free slot left (late on a Friday): the next week has.
  const firstSlot = booking.slots.getByRole('radio').first();
  const thisWeekHasOne = await firstSlot.waitFor({ timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  if (!thisWeekHasOne) await booking.nextWeekButton.click();
  await firstSlot.check();
  await booking.book();
  await expect(booking.confirmation).toBeVisible();
}

/** The count, and each request's method and path (without its query) for the report. */
export async function measureBookingRequests(server: ChildServer, report: (text: string) => void): Promise<Figure[]> {
  const section = 'app';
  const patient = await first<Patient>(server, 'Patient?_count=1');
  const practitioner = await first<Practitioner>(server, 'Practitioner?_count=1');
  const proxy = await startRoundRobinProxy();
  proxy.route([server.origin]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-background-networking'] });
  try {
    const page = await (await browser.newContext({ baseURL: proxy.origin })).newPage();
    await bookOnce(page, patient.name?.[0]?.family ?? '', practitioner.name?.[0]?.family ?? '');
    const line = (request: ReceivedRequest) =>
      `  ${(request.dest ?? '').padEnd(9)} ${request.method} ${decodeURIComponent(request.url).slice(0, 150)}`;
    const byApp = proxy.received.filter((request) => request.dest === 'empty');
    report(
      ['Requests of one booking from an empty page (Sec-Fetch-Dest, method, URL):', ...proxy.received.map(line)].join(
        '\n',
      ),
    );
    return [
      {
        section,
        name: "one booking: the app's requests",
        value: byApp.length,
        unit: '',
        budget: { limit: 12, atMost: true },
        note: 'Chromium, empty page to "Appointment booked": config, discovery, token, FHIR',
      },
      {
        section,
        name: 'one booking: every request',
        value: proxy.received.length,
        unit: '',
        note: `with the page loads of the sign-in round trip (${proxy.received.filter((request) => request.dest === 'document').length}) and the build's files`,
      },
    ];
  } finally {
    await browser.close();
    await proxy.close();
  }
}
