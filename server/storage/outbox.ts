/**
 * The transactional outbox's rows: the emails an appointment write sends, queued by the write's own
 * transaction (`StoreTransaction.queueMessages`) and sent later by a background sender that claims
 * them here one at a time. Storage owns the table; what a message says and how it is sent is
 * server/mail's.
 *
 * Claiming is one statement: the due row is locked with `FOR UPDATE SKIP LOCKED` (so several
 * servers on one PostgreSQL never claim the same row) and given a lease and a claim token in the
 * same statement. Only the holder of the token may mark it sent or put it back; a lease that runs
 * out (its sender died) makes the row claimable again.
 */
import type { SqlExecutor } from '../database/sqlClient';

export type MessageKind = 'booked' | 'rescheduled' | 'cancelled' | 'reminder';
/** `no-address`: a record that the patient has no email address, so nothing was sent. */
export type MessageStatus = 'pending' | 'sent' | 'failed' | 'withdrawn' | 'no-address';

/** The calendar event a message carries, as facts: the .ics file is made from them when it is sent. */
export interface CalendarFacts {
  /** One per appointment, kept by a reschedule, so a calendar moves the event rather than adding one. */
  uid: string;
  /** Rises with every change of the event (RFC 5545 3.8.7.4). */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  /** Instants (ISO 8601). */
  start: string;
  end: string;
  summary: string;
  location?: string;
  description?: string;
  attendee?: { name: string; email: string };
  /** A display alarm this many minutes before the start (REQUEST only). */
  alarmMinutesBefore?: number;
}

/** A message as an appointment write queues it. */
export interface QueuedMessage {
  id: string;
  kind: MessageKind;
  appointmentId: string;
  patientId: string;
  /** null: the patient has no email address; the row is a record of that and is never sent. */
  recipient: string | null;
  subject: string;
  text: string;
  html: string;
  calendar?: CalendarFacts;
  /** Instants (ISO 8601). */
  appointmentStart: string;
  createdAt: string;
  /** Not sent before this (a reminder's time; otherwise when it was queued). */
  notBefore: string;
  statusReason?: string;
}

/** A message as the outbox holds it. */
export interface OutboxMessage extends QueuedMessage {
  status: MessageStatus;
  attempts: number;
  leaseUntil?: string;
  messageId?: string;
  sentAt?: string;
  lastError?: string;
}

interface Row {
  id: string;
  kind: MessageKind;
  appointment_id: string;
  patient_id: string;
  recipient: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  calendar: CalendarFacts | string | null;
  appointment_start: Date | string;
  created_at: Date | string;
  not_before: Date | string;
  status: MessageStatus;
  status_reason: string | null;
  attempts: number;
  lease_until: Date | string | null;
  message_id: string | null;
  sent_at: Date | string | null;
  last_error: string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function messageOf(row: Row): OutboxMessage {
  const calendar = typeof row.calendar === 'string' ? (JSON.parse(row.calendar) as CalendarFacts) : row.calendar;
  return {
    id: row.id,
    kind: row.kind,
    appointmentId: row.appointment_id,
    patientId: row.patient_id,
    recipient: row.recipient,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    ...(calendar ? { calendar } : {}),
    appointmentStart: iso(row.appointment_start),
    createdAt: iso(row.created_at),
    notBefore: iso(row.not_before),
    status: row.status,
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
    attempts: row.attempts,
    ...(row.lease_until ? { leaseUntil: iso(row.lease_until) } : {}),
    ...(row.message_id ? { messageId: row.message_id } : {}),
    ...(row.sent_at ? { sentAt: iso(row.sent_at) } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
  };
}

/** Inserts the messages in one statement; a message without a recipient is stored as `no-address`. */
export async function insertMessages(sql: SqlExecutor, messages: QueuedMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((message) => ({
    id: message.id,
    kind: message.kind,
    appointment_id: message.appointmentId,
    patient_id: message.patientId,
    recipient: message.recipient,
    subject: message.subject,
    text_body: message.text,
    html_body: message.html,
    calendar: message.calendar ?? null,
    appointment_start: message.appointmentStart,
    created_at: message.createdAt,
    not_before: message.notBefore,
    status: message.recipient === null ? 'no-address' : 'pending',
    status_reason: message.statusReason ?? null,
  }));
  await sql.query(
    `INSERT INTO outbox (id, kind, appointment_id, patient_id, recipient, subject, text_body, html_body, calendar,
       appointment_start, created_at, not_before, status, status_reason)
     SELECT id, kind, appointment_id, patient_id, recipient, subject, text_body, html_body, calendar,
       appointment_start, created_at, not_before, status, status_reason
     FROM json_to_recordset($1::json) AS x(id text, kind text, appointment_id text, patient_id text, recipient text, subject text,
       text_body text, html_body text, calendar json, appointment_start timestamptz, created_at timestamptz, not_before timestamptz,
       status text, status_reason text)`,
    [JSON.stringify(rows)],
  );
}

/** Withdraws the appointments' reminders not yet sent (the appointment was cancelled or moved). */
export async function withdrawReminders(sql: SqlExecutor, appointmentIds: string[], reason: string): Promise<void> {
  if (appointmentIds.length === 0) return;
  // outbox_pending_reminder is this condition exactly (migration 9).
  await sql.query(
    `UPDATE outbox SET status = 'withdrawn', status_reason = $2
     WHERE appointment_id = ANY($1) AND kind = 'reminder' AND status = 'pending'`,
    [appointmentIds, reason],
  );
}

export interface MessageQuery {
  patientIds?: string[];
  appointmentIds?: string[];
  count: number;
  offset: number;
}

/** The sender's and the readers' statements, each one statement (PGlite's worker, or a pool). */
export class SqlOutbox {
  constructor(private readonly sql: SqlExecutor) {}

  /**
   * Claims the next due message: locked past any other claimant (SKIP LOCKED), leased until
   * `leaseUntil` under `token`, its attempt counted and its Message-ID fixed on the first claim, all
   * in one statement. Undefined when nothing is due.
   */
  async claim(now: Date, leaseUntil: Date, token: string, messageIdDomain: string): Promise<OutboxMessage | undefined> {
    const rows = await this.sql.query<Row>(
      `UPDATE outbox SET lease_until = $2, claim_token = $3, attempts = attempts + 1,
         message_id = COALESCE(message_id, '<' || id || '@' || $4 || '>')
       WHERE id = (
         SELECT id FROM outbox WHERE status = 'pending' AND not_before <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [now.toISOString(), leaseUntil.toISOString(), token, messageIdDomain],
    );
    return rows[0] ? messageOf(rows[0]) : undefined;
  }

  /** Marks a claimed message sent; false when the claim was lost (its lease ran out and another sender took it). */
  async markSent(id: string, token: string, now: Date): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE outbox SET status = 'sent', sent_at = $3, lease_until = NULL, claim_token = NULL, last_error = NULL
       WHERE id = $1 AND claim_token = $2 RETURNING id`,
      [id, token, now.toISOString()],
    );
    return rows.length === 1;
  }

  /** Puts a claimed message back to be tried again from `notBefore`. */
  async retryLater(id: string, token: string, notBefore: Date, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE outbox SET not_before = $3, last_error = $4, lease_until = NULL, claim_token = NULL WHERE id = $1 AND claim_token = $2`,
      [id, token, notBefore.toISOString(), error.slice(0, 1000)],
    );
  }

  /** Gives a claimed message up (refused for good, or too late to matter). */
  async fail(id: string, token: string, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE outbox SET status = 'failed', status_reason = $3, last_error = $3, lease_until = NULL, claim_token = NULL
       WHERE id = $1 AND claim_token = $2 AND status = 'pending'`,
      [id, token, error.slice(0, 1000)],
    );
  }

  async read(id: string): Promise<OutboxMessage | undefined> {
    const rows = await this.sql.query<Row>('SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] ? messageOf(rows[0]) : undefined;
  }

  /** Messages newest first, of a patient and/or about some appointments, with how many match. */
  async search(query: MessageQuery): Promise<{ total: number; messages: OutboxMessage[] }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (query.patientIds !== undefined) {
      params.push(query.patientIds);
      conditions.push(`patient_id = ANY($${params.length})`);
    }
    if (query.appointmentIds !== undefined) {
      params.push(query.appointmentIds);
      conditions.push(`appointment_id = ANY($${params.length})`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.sql.query<Row & { total: number }>(
      `SELECT *, count(*) OVER ()::int AS total FROM outbox ${where} ORDER BY created_at DESC, id LIMIT ${Number(query.count)} OFFSET ${Number(query.offset)}`,
      params,
    );
    const total =
      rows[0]?.total ??
      (query.offset === 0
        ? 0
        : (await this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM outbox ${where}`, params))[0]
            .total);
    return { total, messages: rows.map(messageOf) };
  }
}
