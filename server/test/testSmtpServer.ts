/**
 * A real SMTP server for the email suites (the `smtp-server` package) on 127.0.0.1 and a port the OS
 * picks. It parses what it accepts with mailparser, can refuse the next messages with an SMTP code,
 * and can hold the next one unanswered (read whole, never accepted) to stand for a crash mid-send.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Every message accepted (answered 250), parsed, in order. */
  accepted: ParsedMail[];
  /** Refuses the next `count` messages with this SMTP reply code (4xx: try later, 5xx: never). */
  refuseNext(count: number, responseCode: number): void;
  /** Leaves the next message unanswered once it has arrived whole; resolves with it then. */
  holdNext(): Promise<ParsedMail>;
  /** Resolves once `count` messages have been accepted, or fails after `timeoutMs`. */
  waitForAccepted(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const accepted: ParsedMail[] = [];
  let refusals: { count: number; responseCode: number } = { count: 0, responseCode: 451 };
  let hold: ((mail: ParsedMail) => void) | undefined;
  let onAccepted = () => undefined as void;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (refusals.count > 0) {
          refusals = { ...refusals, count: refusals.count - 1 };
          callback(
            Object.assign(new Error(refusals.responseCode >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
              responseCode: refusals.responseCode,
            }),
          );
          return;
        }
        void simpleParser(raw).then((mail) => {
          if (hold) {
            const held = hold;
            hold = undefined;
            held(mail); // Never answered: the sender is killed waiting for the 250.
            return;
          }
          accepted.push(mail);
          callback();
          onAccepted();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    refuseNext(count, responseCode) {
      refusals = { count, responseCode };
    },
    holdNext() {
      return new Promise((resolve) => (hold = resolve));
    },
    waitForAccepted(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${accepted.length} of ${count} messages arrived within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          if (accepted.length < count) return;
          clearTimeout(timer);
          onAccepted = () => undefined;
          resolve(accepted.slice());
        };
        onAccepted = check;
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
