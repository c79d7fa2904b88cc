/**
 * The background sender: claims due messages from the outbox one at a time, sends each over SMTP
 * (nodemailer, SMTP_URL) and marks it sent; a failure is tried again after an exponential backoff
 * (1 s, 2 s, 4 s... at most 30 s), a permanent refusal (SMTP 5xx) or an appointment already begun
 * gives it up. Several servers on one PostgreSQL can each run one: a claim is a lease (SqlOutbox.claim).
 *
 * Never twice: a message is sent only by the holder of its claim, and marked sent by the claim's
 * token. The one window left is a crash (or a lost database) after the SMTP server accepted the
 * message and before the mark: the lease runs out and another sender sends it again, with the same
 * Message-ID (fixed at the first claim), so at most one duplicate per such crash reaches the mail
 * system, which recognises it by that header (mail clients and many servers fold duplicates by
 * Message-ID). A crash before the SMTP server accepted it loses nothing: it is sent after the lease.
 */
import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { OutboxMessage, SqlOutbox } from '../storage/outbox';
import { calendarFile } from './calendarFile';
import { DEFAULT_LEASE_MS } from './messageSettings';

export const MAX_RETRY_DELAY_MS = 30_000;
const DEFAULT_POLL_MS = 1_000;
/** nodemailer's own connection and greeting timeouts, when the lease allows them. */
const SMTP_TIMEOUT_MS = 15_000;

/** The wait before the next attempt after `attempts` failed ones: doubling from a second, capped at 30 s. */
export function retryDelayMs(attempts: number, baseMs = 1_000): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/** An SMTP reply of 5xx is a refusal for good (no such mailbox, policy): trying again would not help. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const { message, response } = (error ?? {}) as { message?: unknown; response?: unknown };
  return String(typeof response === 'string' ? response : typeof message === 'string' ? message : error).slice(0, 500);
}

export interface MailFrom {
  name?: string;
  address: string;
}

export interface MailSenderOptions {
  outbox: SqlOutbox;
  /** smtp://user:pass@host:port or smtps://... (SMTP_URL). */
  smtpUrl: string;
  from: MailFrom;
  now?: () => Date;
  /** How long a claim holds; a sender that dies is replaced after it. */
  leaseMs?: number;
  /** How often the outbox is looked at when nothing was due. */
  pollMs?: number;
  /** The first retry's delay; it doubles up to 30 s. */
  retryBaseMs?: number;
  log?: (line: string) => void;
}

export class MailSender {
  private readonly transport: Transporter;
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly domain: string;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: () => void = () => undefined;

  constructor(private readonly options: MailSenderOptions) {
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.domain = options.from.address.split('@').pop() as string;
    // Every wait on the SMTP server well inside the lease, so a live sender never outlasts its claim.
    const timeout = Math.min(SMTP_TIMEOUT_MS, Math.floor(this.leaseMs / 4));
    this.transport = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  /** Sends in the background until stop(). */
  start(): void {
    this.running ??= this.loop();
  }

  /** Finishes the message in hand (its claim is not left to run out), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    this.transport.close();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.sendDue();
      } catch (error) {
        this.log(`Email: the outbox could not be read (${describe(error)}); trying again.`);
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends every message due now, one claim at a time; how many were sent. */
  async sendDue(): Promise<number> {
    let sent = 0;
    while (!this.stopping) {
      const outcome = await this.sendNext();
      if (outcome === 'none') break;
      if (outcome === 'sent') sent += 1;
    }
    return sent;
  }

  /** Claims the next due message and tries it once. */
  async sendNext(): Promise<'none' | 'sent' | 'failed'> {
    const token = randomUUID();
    const claimedAt = this.now();
    const message = await this.options.outbox.claim(
      claimedAt,
      new Date(claimedAt.getTime() + this.leaseMs),
      token,
      this.domain,
    );
    if (!message) return 'none';
    try {
      await this.transport.sendMail(this.mailOf(message));
    } catch (error) {
      await this.failed(message, token, error);
      return 'failed';
    }
    if (!(await this.options.outbox.markSent(message.id, token, this.now()))) {
      this.log(
        `Email ${message.messageId}: sent after its claim ran out; another sender may send it again (same Message-ID).`,
      );
    }
    return 'sent';
  }

  private async failed(message: OutboxMessage, token: string, error: unknown): Promise<void> {
    const why = describe(error);
    const now = this.now();
    if (isPermanentRefusal(error)) {
      this.log(`Email ${message.messageId} to ${message.recipient}: refused for good (${why}).`);
      await this.options.outbox.fail(message.id, token, `Refused by the mail server: ${why}`);
    } else if (now >= new Date(message.appointmentStart)) {
      await this.options.outbox.fail(message.id, token, `Not sent before the appointment began; last error: ${why}`);
    } else {
      const delay = retryDelayMs(message.attempts, this.options.retryBaseMs);
      this.log(
        `Email ${message.messageId}: attempt ${message.attempts} failed (${why}); next in ${Math.round(delay / 1000)} s.`,
      );
      await this.options.outbox.retryLater(message.id, token, new Date(now.getTime() + delay), why);
    }
  }

  /** The email: text and HTML, the .ics as a calendar part with its METHOD, and the Message-ID fixed at the first claim. */
  mailOf(message: OutboxMessage): SendMailOptions {
    const { from } = this.options;
    return {
      from: from.name ? { name: from.name, address: from.address } : from.address,
      to: message.recipient ?? undefined,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Appointment-Id': message.appointmentId },
      ...(message.calendar
        ? {
            icalEvent: {
              method: message.calendar.method,
              filename: 'appointment.ics',
              content: calendarFile(message.calendar, { name: from.name, email: from.address }, this.now()),
            },
          }
        : {}),
    };
  }

  private log(line: string): void {
    (this.options.log ?? ((text: string) => console.warn(text)))(line);
  }
}
