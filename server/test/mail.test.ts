/**
 * Email confirmations and reminders end to end in one process: the API books, reschedules and
 * cancels; the outbox is sent by a MailSender to a real SMTP server the test starts (smtp-server on
 * 127.0.0.1); mailparser reads what arrived, headers, text, HTML and the .ics. The staff read the
 * outbox as Communication resources; a patient reads only their own.
 */
import type { Appointment, Bundle, Communication } from 'fhir/r4';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailSender } from '../mail/mailSender';
import { SqlOutbox } from '../storage/outbox';
import { apiOf, type Api } from './api';
import { bearer, PATIENT_A, signIn } from './authHarness';
import { NOW, proposal, slotId } from './fixtures';
import { mailLocation, mailPatient, PATIENT_EMAIL } from './mailFixtures';
import { FHIR_HEADERS, startTestServer, type TestServer } from './testServer';
import { startTestSmtpServer, type TestSmtpServer } from './testSmtpServer';

const FROM = { name: 'Ponsonby Family Health', address: 'appointments@clinic.example.nz' };

/** The tests' clock: the fixtures' NOW, running in real time; the sender's is jumped forward when a test says (tokens would expire on the server's). */
let jumpedMs = 0;
let startedAt = Date.now();
const clock = () => new Date(NOW.getTime() + (Date.now() - startedAt));
const senderClock = () => new Date(clock().getTime() + jumpedMs);

let server: TestServer;
let api: Api;
let smtp: TestSmtpServer;
let sender: MailSender;
let log: string[];

beforeAll(async () => {
  server = await startTestServer({ now: clock });
  await server.opened.store.bulkLoad([mailPatient, mailLocation], NOW);
  api = apiOf(server);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  log = [];
  sender = new MailSender({
    outbox: new SqlOutbox(server.opened.sql),
    smtpUrl: smtp.url,
    from: FROM,
    now: senderClock,
    pollMs: 50,
    log: (line) => log.push(line),
  });
});
afterEach(async () => {
  await sender.stop();
  await smtp.close();
  // Each test starts from a clinic with every slot free and an empty outbox.
  await server.opened.store.clear();
  await server.opened.store.bulkLoad((await import('./fixtures')).fixtureResources(), NOW);
  await server.opened.store.bulkLoad([mailPatient, mailLocation], NOW);
  jumpedMs = 0;
  startedAt = Date.now();
});

const mailProposal = (time = '09:00') => proposal({ patient: 'pat-mail', location: 'loc-mail', time });

async function communications(query: string): Promise<Communication[]> {
  const bundle = await api.search<Communication>(`Communication?${query}`);
  return (bundle.entry ?? []).map((entry) => entry.resource as Communication);
}

/** The .ics a message carries, unfolded into its content lines. */
function calendarLines(mail: ParsedMail): string[] {
  const part = mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  expect(part, `no text/calendar part in ${mail.subject}`).toBeDefined();
  return part!.content
    .toString('utf8')
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n');
}

describe('email through a real SMTP server', () => {
  it('sends the booking confirmation to Patient.telecom email: headers, text, HTML and an .ics with METHOD:REQUEST, UID, SEQUENCE, DTSTART in UTC and a VALARM', async () => {
    const booked = await api.book(mailProposal());
    expect(await sender.sendDue()).toBe(1); // The reminder is not due for another hour.
    const [mail] = await smtp.waitForAccepted(1);
    expect(mail.from?.value).toEqual([{ name: FROM.name, address: FROM.address }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((to) => to.address) : []).toEqual([PATIENT_EMAIL]);
    expect(mail.subject).toBe('Appointment confirmed: Tue 5 Mar, 9:00 am NZDT at Ponsonby Family Health');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-appointment-id')).toBe(booked.id);
    for (const line of [
      'When: Tuesday 5 March 2030, 9:00 am NZDT (15 minutes)',
      'With: Dr Anna Tūhoe-Smith',
      'Where: Ponsonby Family Health, 12 Ponsonby Road, Ponsonby, Auckland 1011',
    ]) {
      expect(mail.text).toContain(line);
    }
    expect(mail.html).toContain('Tuesday 5 March 2030, 9:00 am NZDT');
    const ics = calendarLines(mail);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:appointment-${booked.id}@nz-appointments.example.org`);
    expect(ics).toContain('SEQUENCE:0');
    expect(ics).toContain('DTSTART:20300304T200000Z'); // 9:00 NZDT is 20:00 UTC the day before
    expect(ics).toContain('BEGIN:VALARM');
    expect(ics.some((line) => /^ORGANIZER;.*:MAILTO:appointments@clinic\.example\.nz$/i.test(line))).toBe(true);

    const [sent] = await communications(`about=Appointment/${booked.id}&_count=10`).then((found) =>
      found.filter((one) => one.category?.[0]?.coding?.[0]?.code === 'booked'),
    );
    expect(sent).toMatchObject({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: 'Patient/pat-mail' },
      about: [{ reference: `Appointment/${booked.id}` }],
    });
    expect(sent.identifier?.[0].value).toBe(mail.messageId);
    expect(sent.sent).toBeDefined();
  });

  it('tells the patient of a reschedule (same UID, SEQUENCE 1) and a cancellation (METHOD:CANCEL, SEQUENCE 2), in order', async () => {
    const booked = await api.book(mailProposal());
    const moved = await api.post(`Appointment/${booked.id}/$reschedule`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-1', '10:30')}` } }],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const movedId = moved.json<Appointment>().id as string;
    const current = await api.get(`Appointment/${movedId}`);
    const cancelled = await api.put(`Appointment/${movedId}`, { ...current.json<Appointment>(), status: 'cancelled' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await sender.sendDue()).toBe(3);
    const [confirmation, rescheduled, cancellation] = await smtp.waitForAccepted(3);
    expect(confirmation.subject).toMatch(/^Appointment confirmed/);
    expect(rescheduled.subject).toBe('Appointment moved to Tue 5 Mar, 10:30 am NZDT at Ponsonby Family Health');
    expect(rescheduled.text).toContain('Was: Tuesday 5 March 2030, 9:00 am NZDT');
    expect(cancellation.subject).toMatch(/^Appointment cancelled: Tue 5 Mar, 10:30 am NZDT/);
    const uid = `UID:appointment-${booked.id}@nz-appointments.example.org`;
    expect(calendarLines(rescheduled)).toEqual(
      expect.arrayContaining(['METHOD:REQUEST', uid, 'SEQUENCE:1', 'DTSTART:20300304T213000Z']),
    );
    expect(calendarLines(cancellation)).toEqual(
      expect.arrayContaining(['METHOD:CANCEL', uid, 'SEQUENCE:2', 'STATUS:CANCELLED']),
    );
    // Both reminders are withdrawn: the first appointment moved, the second was cancelled.
    jumpedMs = 24 * 3_600_000;
    expect(await sender.sendDue()).toBe(0);
    const reminders = (await communications('patient=pat-mail')).filter(
      (one) => one.category?.[0]?.coding?.[0]?.code === 'reminder',
    );
    expect(reminders.map((one) => [one.status, one.statusReason?.text])).toEqual(
      expect.arrayContaining([
        ['not-done', 'The appointment was moved to another time.'],
        ['not-done', 'The appointment was cancelled.'],
      ]),
    );
  });

  it('sends the reminder REMINDER_HOURS_BEFORE the start, once', async () => {
    const booked = await api.book(mailProposal());
    await sender.sendDue();
    await smtp.waitForAccepted(1);
    const waiting = (await communications(`about=Appointment/${booked.id}`)).find(
      (one) => one.category?.[0]?.coding?.[0]?.code === 'reminder',
    );
    expect(waiting?.status).toBe('preparation');
    jumpedMs = 60 * 60_000; // 24 hours before the 9:00 start
    expect(await sender.sendDue()).toBe(1);
    expect(await sender.sendDue()).toBe(0);
    const [, reminder] = await smtp.waitForAccepted(2);
    expect(reminder.subject).toBe('Reminder: appointment Tue 5 Mar, 9:00 am NZDT at Ponsonby Family Health');
    expect(smtp.accepted).toHaveLength(2);
  });

  it('retries with backoff when the SMTP server refuses at first (451), then sends exactly once', async () => {
    smtp.refuseNext(2, 451);
    const booked = await api.book(mailProposal());
    sender.start();
    const [mail] = await smtp.waitForAccepted(1, 15_000);
    expect(mail.subject).toMatch(/^Appointment confirmed/);
    // Refused twice: tried again after about 1 s, then 2 s.
    expect(
      log.filter((line) => /attempt \d failed/.test(line)).map((line) => /next in (\d+) s/.exec(line)?.[1]),
    ).toEqual(['1', '2']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.accepted).toHaveLength(1);
    const [sent] = (await communications(`about=Appointment/${booked.id}`)).filter((one) => one.status === 'completed');
    expect(sent.identifier?.[0].value).toBe(mail.messageId);
  });

  it('gives a message up when the SMTP server refuses it for good (550), and says why', async () => {
    smtp.refuseNext(1, 550);
    const booked = await api.book(mailProposal());
    expect(await sender.sendNext()).toBe('failed');
    expect(await sender.sendNext()).toBe('none');
    const [stopped] = (await communications(`about=Appointment/${booked.id}`)).filter(
      (one) => one.category?.[0]?.coding?.[0]?.code === 'booked',
    );
    expect(stopped.status).toBe('stopped');
    expect(stopped.statusReason?.text).toMatch(/550/);
  });

  it('sends nothing to a patient without an email address, and the desk sees "no email address"', async () => {
    const booked = await api.book(proposal({ patient: 'pat-a' }));
    expect(await sender.sendDue()).toBe(0);
    expect(smtp.accepted).toHaveLength(0);
    const [record, ...more] = await communications(`about=Appointment/${booked.id}`);
    expect(more).toEqual([]);
    expect(record).toMatchObject({ status: 'not-done', medium: [{ text: 'no email address' }] });
    expect(record.statusReason?.text).toMatch(/no email address/);
  });

  it('queues nothing for a refused booking', async () => {
    await api.book(mailProposal());
    const before = (await api.search('Communication')).total;
    const refused = await api.post('Appointment', mailProposal());
    expect(refused.statusCode).toBe(409);
    expect((await api.search('Communication')).total).toBe(before);
  });

  it('lets a patient read only their own messages', async () => {
    await api.book(mailProposal());
    const own = await api.book(proposal({ patient: 'pat-a', time: '11:00' }));
    const { tokens } = await signIn(server.app, { patient: PATIENT_A });
    const asPatient = (url: string) =>
      server.app.inject({
        method: 'GET',
        url: `/fhir/${url}`,
        headers: { ...FHIR_HEADERS, ...bearer(tokens.access_token) },
      });
    const mine = (await asPatient('Communication')).json<Bundle<Communication>>();
    expect(mine.entry?.map((entry) => entry.resource?.about?.[0].reference)).toEqual([`Appointment/${own.id}`]);
    expect((await asPatient('Communication?patient=pat-mail')).json<Bundle>().total).toBe(0);
    const others = await communications('patient=pat-mail');
    expect((await asPatient(`Communication/${others[0].id}`)).statusCode).toBe(403);
    expect((await asPatient(`Communication/${mine.entry?.[0].resource?.id}`)).statusCode).toBe(200);
  });
});
