/**
 * PostgreSQL's autovacuum, for PGlite, which has none. Without it a long-lived embedded store
 * degrades: the planner's statistics stay those of the day the store was made (on a grown outbox
 * it walked every pending email to withdraw one reminder, 20 ms), and dead row versions pile up
 * where bookings and cancellations rewrite the same rows (a week of one practitioner's slots took
 * 20 ms to read on a store that had seen a few thousand bookings, 3 ms once vacuumed).
 *
 * After enough writes, each table the writes touch is vacuumed and analysed in turn, one table at
 * a time and only while the store is quiet (a few calls in a while: the mail sender's and a diary's
 * polls, no one booking): PGlite has one connection, so a request that arrives meanwhile waits for
 * that one table (under a second on a busy clinic's store).
 */

/** The tables appointment writes change, in the order they are looked after (the outbox grows fastest). */
export const MAINTAINED_TABLES = [
  'outbox',
  'slot_search',
  'appointment_search',
  'resource',
  'resource_history',
  'search_token',
  'search_string',
  'patient_search',
] as const;

export interface IdleMaintenanceOptions {
  /** Vacuums and analyses one table (a failure is left for the next pass). */
  maintain: (table: string) => Promise<void>;
  /** Writes after which a pass is due. */
  afterWrites: number;
  /** How often the store is looked at: a table is looked after when the period just past was quiet. */
  periodMs: number;
  /** At most this many calls in a period make it quiet. */
  quietCalls: number;
}

export class IdleMaintenance {
  private writes = 0;
  /** Calls since the last look. */
  private calls = 0;
  /** The tables of the pass under way, still to do. */
  private due: string[] = [];
  private working = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: IdleMaintenanceOptions) {
    this.timer = setInterval(() => void this.tick(), options.periodMs);
    this.timer.unref();
  }

  /** A call used the store. */
  activity(): void {
    this.calls += 1;
  }

  /** A write committed. */
  written(count = 1): void {
    this.writes += count;
    if (this.writes >= this.options.afterWrites && this.due.length === 0) {
      this.writes = 0;
      this.due = [...MAINTAINED_TABLES];
    }
  }

  /** Looks after the next table of a pass, if one is due and the period just past was quiet. */
  async tick(): Promise<void> {
    const quiet = this.calls <= this.options.quietCalls;
    this.calls = 0;
    if (this.working || this.due.length === 0 || !quiet) return;
    this.working = true;
    const table = this.due.shift() as string;
    try {
      await this.options.maintain(table);
    } catch {
      // Left for the next pass: a vacuum that failed changed nothing a request relies on.
    } finally {
      this.working = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.due = [];
  }
}
