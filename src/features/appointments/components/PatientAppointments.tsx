import { useQuery } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { useState, type ReactNode } from 'react';
import { LoadError } from '../../../components/ErrorSummary';
import { Loading } from '../../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { formatClinicDateTime } from '../../../lib/format';
import { appointmentQueries, splitByTime, type AppointmentRow } from '../api/appointmentQueries';
import { clinicContact } from '../clinicContact';
import { AppointmentGroup, type ItemActions } from './AppointmentItem';
import { CancelAppointmentDialog } from './CancelAppointmentDialog';

/** What a screen's reschedule dialog reports back to the list. */
export interface RescheduleEvents {
  onClose: () => void;
  /** Moved: a sentence saying where it is now, to announce. */
  onRescheduled: (message: string) => void;
  /** Refused for the patients' cut-off: the server's words. */
  onTooLate: (why: string) => void;
}

/** How the screen moves an appointment to another time: the slot picker belongs to another feature, so the screen composes it. */
export type RenderReschedule = (row: AppointmentRow, events: RescheduleEvents) => ReactNode;

interface PatientAppointmentsProps {
  patientId: string;
  /** Given, each booked appointment still to come has a "Reschedule" button that opens what this renders. */
  renderReschedule?: RenderReschedule;
  /**
   * The patient's own list: cancelling gives their own reason, not the desk's choice of reasons;
   * "Add to calendar" on each upcoming one; past the cut-off, the clinic's number instead of the buttons.
   */
  byPatient?: boolean;
}

/** The patient's appointments: upcoming (booked, still to come), past, and cancelled, each group counted. */
export function PatientAppointments({ patientId, renderReschedule, byPatient = false }: PatientAppointmentsProps) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const query = useQuery(appointmentQueries.forPatient(client, patientId));
  const [cancelling, setCancelling] = useState<AppointmentRow | null>(null);
  const [rescheduling, setRescheduling] = useState<AppointmentRow | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // The server's refusals for the cut-off, by appointment: they stand even where the app does not know the cut-off.
  const [refused, setRefused] = useState<ReadonlyMap<string, string>>(new Map());
  const [focusPhoneOf, setFocusPhoneOf] = useState<string | null>(null);
  const now = new Date();
  const actions: ItemActions = {
    onCancel: setCancelling,
    onReschedule: renderReschedule ? setRescheduling : undefined,
  };
  const refuse = (row: AppointmentRow) => (why: string) => setRefused((before) => new Map(before).set(row.id, why));
  // A refused row has lost the button that opened the dialog: its phone number takes the focus instead.
  const closed = (row: AppointmentRow) => {
    if (refused.has(row.id)) setFocusPhoneOf(row.id);
  };

  return (
    <section className="appointments" aria-label="Appointments" aria-busy={query.isFetching}>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {query.isPending && <Loading label="Loading appointments…" />}
      {query.isError && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && (
        <Groups
          rows={query.data}
          now={now}
          actions={actions}
          byPatient={byPatient}
          refused={refused}
          focusPhoneOf={focusPhoneOf}
        />
      )}
      {cancelling && (
        <CancelAppointmentDialog
          appointment={cancelling.appointment}
          names={{ practitioner: cancelling.practitionerName, location: cancelling.locationName }}
          clinic={clinicContact(cancelling.location, cancelling.locationName)}
          byPatient={byPatient}
          onClose={() => {
            closed(cancelling);
            setCancelling(null);
          }}
          onCancelled={() => {
            setAnnouncement(
              `The appointment on ${cancelling.startsAt ? formatClinicDateTime(cancelling.startsAt, timeZone) : ''} is cancelled.`,
            );
            setCancelling(null);
          }}
          onTooLate={refuse(cancelling)}
        />
      )}
      {rescheduling &&
        renderReschedule?.(rescheduling, {
          onClose: () => {
            closed(rescheduling);
            setRescheduling(null);
          },
          onRescheduled: (message) => {
            setAnnouncement(message);
            setRescheduling(null);
          },
          onTooLate: refuse(rescheduling),
        })}
    </section>
  );
}

interface GroupsProps {
  rows: AppointmentRow[];
  now: Date;
  actions: ItemActions;
  byPatient: boolean;
  refused: ReadonlyMap<string, string>;
  focusPhoneOf: string | null;
}

function Groups({ rows, now, actions, byPatient, refused, focusPhoneOf }: GroupsProps) {
  const { upcoming, past, cancelled } = splitByTime(rows, now);
  // Every appointment of the patient's, for following a chain of reschedules back to its first.
  const byId = new Map<string, Appointment>(rows.map((row) => [row.id, row.appointment]));
  const shared = { now, actions, byPatient, refused, focusPhoneOf, byId };
  return (
    <>
      <AppointmentGroup title="Upcoming appointments" rows={upcoming} empty="No upcoming appointments." {...shared} />
      <AppointmentGroup title="Past appointments" rows={past} empty="No past appointments." {...shared} />
      {cancelled.length > 0 && (
        <AppointmentGroup title="Cancelled appointments" rows={cancelled} empty="" {...shared} />
      )}
    </>
  );
}
