import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { LoadError } from '../../../components/ErrorSummary';
import { EmptyState } from '../../../components/EmptyState';
import { Loading } from '../../../components/Spinner';
import { addClinicDays, clinicDate, clinicInstant, clinicTimeOfDay } from '../../../../domain/clinicTime';
import { useFhirClient } from '../../../lib/appContext';
import { formatCalendarDate, formatClinicTime, formatWaited } from '../../../lib/format';
import type { DiaryRange } from '../../../lib/queryKeys';
import {
  belongsToDiary,
  diaryQueries,
  workingPractitioners,
  type DiaryAppointment,
  type DiarySlot,
} from '../api/diaryQueries';
import { markDoneText, markFailureText, useMarkAppointment, type Mark } from '../api/useMarkAppointment';
import { useNow } from '../hooks/useNow';
import { AppointmentDetail } from './AppointmentDetail';
import { DiaryAppointmentCard } from './DiaryAppointmentCard';
import { DiaryGrid, type DiaryCell, type DiaryColumn } from './DiaryGrid';
import { DaySheet, type SheetTable } from './DaySheet';

export interface DiaryViewProps {
  range: DiaryRange;
  /** Today's clinic date: arrivals are marked only on today's appointments. */
  today: string;
  showCancelled: boolean;
  /** Whether the server declares PATCH on Appointment (arrivals) and Provenance search (history). */
  canMark: boolean;
  hasHistory: boolean;
  sheetTitle: string;
  onBook: (slot: DiarySlot) => void;
  /** A column's header in the day view, e.g. with a link to the practitioner's week. */
  renderPractitionerHeader?: (practitioner: { id: string; name: string }) => ReactNode;
  /** The appointment's actions that belong to other features (reschedule, cancel), given by the screen. */
  renderActions?: (item: DiaryAppointment, close: () => void) => ReactNode;
  /** An appointment just booked from this diary, to say so. */
  bookedId?: string;
}

const NO_PRACTITIONER = '';

const SHOWN_WITHOUT_TOGGLE = (item: DiaryAppointment) =>
  item.status !== 'cancelled' && item.status !== 'entered-in-error';

/** Rows each item covers: from its start's row up to (not including) the first row at or after its end. */
function spanOf(times: string[], start: string, end: string | undefined): number {
  if (!end) return 1;
  return Math.max(1, times.filter((time) => time >= start && time < end).length);
}

function cellsOf(
  items: Array<{ time: string; endTime: string | undefined; node: ReactNode }>,
  times: string[],
): DiaryCell[] {
  const byTime = new Map<string, { nodes: ReactNode[]; span: number }>();
  for (const item of items) {
    const cell = byTime.get(item.time) ?? { nodes: [], span: 1 };
    cell.nodes.push(item.node);
    cell.span = Math.max(cell.span, spanOf(times, item.time, item.endTime));
    byTime.set(item.time, cell);
  }
  return [...byTime].map(([time, cell]) => ({ time, span: cell.span, content: cell.nodes }));
}

function endTime(end: Date | undefined, start: Date, timeZone: string): string | undefined {
  if (!end) return undefined;
  // An end on a later day than its start covers the rest of the day.
  return clinicDate(end, timeZone) === clinicDate(start, timeZone) ? clinicTimeOfDay(end, timeZone) : '24:00';
}

export function DiaryView({
  range,
  today,
  showCancelled,
  canMark,
  hasHistory,
  sheetTitle,
  onBook,
  renderPractitionerHeader,
  renderActions,
  bookedId,
}: DiaryViewProps) {
  const client = useFhirClient();
  const now = useNow();
  const slots = useQuery(diaryQueries.slots(client, range));
  // The day's appointments are asked for with the practitioners working here (from the slots), so one
  // booked without a Location still shows; one practitioner's week needs only that practitioner.
  const working = range.practitionerId ? [] : workingPractitioners(slots.data ?? []);
  const found = useQuery({
    ...diaryQueries.appointments(client, range, working),
    enabled: range.practitionerId !== undefined || slots.isSuccess,
  });
  const mark = useMarkAppointment();
  const [openId, setOpenId] = useState<string | null>(null);
  const [markedId, setMarkedId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const { timeZone } = range;

  if (slots.isError) return <LoadError error={slots.error} onRetry={() => void slots.refetch()} />;
  if (found.isError) return <LoadError error={found.error} onRetry={() => void found.refetch()} />;
  if (found.isPending || slots.isPending) return <Loading label="Loading the diary…" />;

  const appointments = found.data.filter((item) => belongsToDiary(item, range.locationId, slots.data));
  const shown = appointments.filter((item) => showCancelled || SHOWN_WITHOUT_TOGGLE(item));
  const free = slots.data.filter((slot) => slot.status === 'free');
  const hiddenCount = appointments.length - shown.length;
  const times = [...new Set([...slots.data.map((slot) => slot.time), ...shown.map((item) => item.time)])].sort();
  const waiting = appointments.filter((item) => item.status === 'arrived' && item.day === today);
  const longest = waiting.reduce(
    (most, item) => Math.max(most, now.getTime() - (item.lastUpdated?.getTime() ?? now.getTime())),
    0,
  );
  const open = appointments.find((item) => item.id === openId);
  const booked = bookedId ? appointments.find((item) => item.id === bookedId) : undefined;

  const onMark = (item: DiaryAppointment, status: Mark) => {
    setAnnouncement('');
    setMarkedId(item.id);
    mark.mutate(
      { appointment: item.appointment, status },
      {
        onSuccess: () => setAnnouncement(markDoneText(item.patientName, status)),
        onError: (error) => setAnnouncement(markFailureText(error)),
      },
    );
  };

  const appointmentNode = (item: DiaryAppointment) => (
    <DiaryAppointmentCard
      key={item.id}
      item={item}
      timeZone={timeZone}
      now={now}
      marking={
        canMark && item.day === today
          ? { onMark: (status) => onMark(item, status), busy: mark.isPending, focusAfterChange: markedId === item.id }
          : undefined
      }
      onOpen={() => setOpenId(item.id)}
    />
  );
  const slotNode = (slot: DiarySlot, practitionerName: string) =>
    slot.startsAt.getTime() > now.getTime() ? (
      <button key={slot.id} type="button" className="diary-free" onClick={() => onBook(slot)}>
        Book {formatClinicTime(slot.startsAt, timeZone)} with {practitionerName}
      </button>
    ) : (
      <span key={slot.id} className="diary-free diary-free--past">
        Free (past)
      </span>
    );

  const cellsFor = (items: DiaryAppointment[], slotList: DiarySlot[], practitionerName: (slot: DiarySlot) => string) =>
    cellsOf(
      [
        ...items.map((item) => ({
          time: item.time,
          endTime: endTime(item.endsAt, item.startsAt, timeZone),
          node: appointmentNode(item),
        })),
        ...slotList.map((slot) => ({
          time: slot.time,
          endTime: endTime(slot.endsAt, slot.startsAt, timeZone),
          node: slotNode(slot, practitionerName(slot)),
        })),
      ],
      times,
    );

  const names = new Map<string, string>();
  for (const slot of slots.data)
    if (slot.practitionerName && !names.has(slot.practitionerId)) names.set(slot.practitionerId, slot.practitionerName);
  for (const item of appointments) if (item.practitionerId) names.set(item.practitionerId, item.practitionerName);
  // An appointment naming no practitioner still shows, in a column of its own.
  const nameOf = (id: string) => names.get(id) ?? (id === NO_PRACTITIONER ? 'No practitioner recorded' : id);
  const columnOf = (item: DiaryAppointment) => item.practitionerId ?? NO_PRACTITIONER;

  let columns: DiaryColumn[];
  let tables: SheetTable[];
  if (range.practitionerId) {
    // One practitioner's week: a column per day.
    const days = Array.from({ length: range.days }, (_, index) => addClinicDays(range.from, index)).filter(
      (day, index) =>
        index < 5 || slots.data.some((slot) => slot.day === day) || shown.some((item) => item.day === day),
    );
    columns = days.map((day) => ({
      key: day,
      label: formatCalendarDate(day),
      cells: cellsFor(
        shown.filter((item) => item.day === day),
        free.filter((slot) => slot.day === day),
        () => nameOf(range.practitionerId ?? ''),
      ),
    }));
    tables = days.map((day) => ({
      key: day,
      caption: formatCalendarDate(day),
      appointments: shown.filter((item) => item.day === day && item.status !== 'cancelled'),
    }));
  } else {
    const practitionerIds = [
      ...new Set([...slots.data.map((slot) => slot.practitionerId), ...shown.map(columnOf)]),
    ].sort((a, b) => nameOf(a).localeCompare(nameOf(b), 'en-NZ'));
    columns = practitionerIds.map((id) => ({
      key: id,
      label: nameOf(id),
      header: id === NO_PRACTITIONER ? undefined : renderPractitionerHeader?.({ id, name: nameOf(id) }),
      cells: cellsFor(
        shown.filter((item) => columnOf(item) === id),
        free.filter((slot) => slot.practitionerId === id),
        () => nameOf(id),
      ),
    }));
    tables = practitionerIds.map((id) => ({
      key: id,
      caption: nameOf(id),
      appointments: shown.filter((item) => columnOf(item) === id && item.status !== 'cancelled'),
    }));
  }

  const timeLabel = (time: string) => formatClinicTime(clinicInstant(range.from, time, timeZone), timeZone);

  return (
    <div className="diary">
      {booked && (
        <p className="notice diary__booked" role="status">
          Booked {formatClinicTime(booked.startsAt, timeZone)} with {booked.practitionerName}: {booked.patientName}.
        </p>
      )}
      <div className="diary__summary">
        {range.from <= today && today < addClinicDays(range.from, range.days) && (
          <p className="diary__waiting" role="status">
            {waiting.length === 0
              ? 'Nobody waiting.'
              : `${waiting.length} waiting, the longest ${formatWaited(longest)}.`}
          </p>
        )}
        {!showCancelled && hiddenCount > 0 && (
          <p className="diary__hidden">
            {hiddenCount === 1 ? '1 cancelled appointment hidden.' : `${hiddenCount} cancelled appointments hidden.`}
          </p>
        )}
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
      </div>
      {columns.length === 0 ? (
        <EmptyState title="Nobody is working here on this day: no appointments and no slots." />
      ) : (
        <DiaryGrid times={times} timeLabel={timeLabel} columns={columns} label="Diary" />
      )}
      <DaySheet title={sheetTitle} tables={tables} timeZone={timeZone} />
      {open && (
        <AppointmentDetail
          item={open}
          timeZone={timeZone}
          hasHistory={hasHistory}
          actions={renderActions?.(open, () => setOpenId(null))}
          onClose={() => setOpenId(null)}
        />
      )}
    </div>
  );
}
