import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import {
  isCancellable,
  isReschedulable,
  type AppointmentRow,
} from '../../features/appointments/api/appointmentQueries';
import { CancelAppointmentDialog } from '../../features/appointments/components/CancelAppointmentDialog';
import type { DiaryAppointment } from '../../features/diary/api/diaryQueries';
import { DiaryControls } from '../../features/diary/components/DiaryControls';
import { DiaryView } from '../../features/diary/components/DiaryView';
import { locationQueries } from '../../features/practitioners/api/practitionerQueries';
import { LoadError } from '../../components/ErrorSummary';
import { Loading } from '../../components/Spinner';
import { addClinicDays, clinicDate, startOfClinicWeek } from '../../../domain/clinicTime';
import { useAppConfig, useFhirClient } from '../../lib/appContext';
import { formatCalendarDate, formatWeek } from '../../lib/format';
import { useServerCapabilities } from '../../lib/serverCapabilities';
import { RescheduleAppointmentDialog } from '../composed/RescheduleAppointment';
import { usePageTitle } from '../usePageTitle';
import { ANY_LOCATION, hrefFor, PATHS, useAppState, useUpdateAppState } from '../urlState';

/** The cancel and reschedule actions of the appointments feature, offered in the diary's appointment detail. */
function CancelFromDiary({
  item,
  locationName,
  onDone,
}: {
  item: DiaryAppointment;
  locationName: string | undefined;
  onDone: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [moving, setMoving] = useState(false);
  const row: AppointmentRow = {
    appointment: item.appointment,
    id: item.id,
    startsAt: item.startsAt,
    endsAt: item.endsAt,
    practitionerId: item.practitionerId,
    practitionerName: item.practitionerName,
    locationName,
  };
  if (!item.patientId || !isCancellable(row, new Date())) return null;
  const names = { practitioner: item.practitionerName, location: locationName };
  return (
    <>
      {isReschedulable(row, new Date()) && (
        <button type="button" className="button button--secondary" onClick={() => setMoving(true)}>
          Reschedule
        </button>
      )}
      <button type="button" className="button button--danger" onClick={() => setAsking(true)}>
        Cancel appointment
      </button>
      {asking && (
        <CancelAppointmentDialog
          appointment={item.appointment}
          names={names}
          onClose={() => setAsking(false)}
          onCancelled={onDone}
        />
      )}
      {moving && (
        <RescheduleAppointmentDialog
          appointment={item.appointment}
          names={names}
          onClose={() => setMoving(false)}
          onRescheduled={onDone}
        />
      )}
    </>
  );
}

export function DiaryScreen() {
  const state = useAppState();
  const update = useUpdateAppState();
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const capabilities = useServerCapabilities();
  const [showCancelled, setShowCancelled] = useState(false);
  usePageTitle('Diary');

  const today = clinicDate(new Date(), timeZone);
  const date = state.date ?? today;
  const locations = useQuery(locationQueries.all(client));
  const chosen = locations.data?.find((location) => location.id === state.location);
  const location = chosen ?? (state.location && state.location !== ANY_LOCATION ? undefined : locations.data?.[0]);
  const week = state.view === 'week' && state.practitioner ? state.practitioner : undefined;

  // The URL always says which day at which place, so a reload or a shared link shows the same diary.
  useEffect(() => {
    if (location && (state.location !== location.id || !state.date))
      update({ location: location.id, date }, { replace: true });
  }, [location, state.location, state.date, date, update]);

  if (locations.isPending) return <Loading label="Loading the locations…" />;
  if (locations.isError) return <LoadError error={locations.error} onRetry={() => void locations.refetch()} />;

  const range = week
    ? { locationId: location?.id ?? '', practitionerId: week, from: startOfClinicWeek(date), days: 7, timeZone }
    : { locationId: location?.id ?? '', from: date, days: 1, timeZone };
  const when = week
    ? formatWeek(startOfClinicWeek(date))
    : formatCalendarDate(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

  return (
    <div className="screen screen--wide">
      <h1 className="screen__title">Diary</h1>
      <DiaryControls
        locations={locations.data}
        locationId={location?.id}
        date={date}
        view={week ? 'week' : 'day'}
        showCancelled={showCancelled}
        onLocation={(id) =>
          update({ location: id, view: undefined, practitioner: undefined, booked: undefined }, { replace: true })
        }
        onDate={(day) => update({ date: day, booked: undefined }, { replace: true })}
        onStep={(steps) => update({ date: addClinicDays(date, steps * (week ? 7 : 1)), booked: undefined })}
        onToday={() => update({ date: today, booked: undefined })}
        onShowCancelled={setShowCancelled}
        onDayView={week ? () => update({ view: undefined, practitioner: undefined, booked: undefined }) : undefined}
      />
      {!location ? (
        <p>Choose a location.</p>
      ) : (
        <>
          <h2 className="diary__heading" aria-live="polite">
            {location.name}, {when}
          </h2>
          <DiaryView
            key={`${range.locationId}|${range.practitionerId ?? ''}`}
            range={range}
            today={today}
            showCancelled={showCancelled}
            canMark={capabilities.supportsInteraction('Appointment', 'patch')}
            hasHistory={
              capabilities.supportsInteraction('Provenance', 'search-type') &&
              capabilities.supportsSearchParam('Provenance', 'target')
            }
            sheetTitle={`${location.name}, ${when}`}
            bookedId={state.booked}
            onBook={(slot) =>
              update(
                {
                  patient: undefined,
                  practitioner: slot.practitionerId,
                  location: location.id,
                  slot: slot.id,
                  week: startOfClinicWeek(slot.day),
                  from: 'diary',
                  booked: undefined,
                  view: undefined,
                },
                { path: PATHS.book },
              )
            }
            renderPractitionerHeader={(practitioner) => (
              <>
                <h2 className="diary-column__title">{practitioner.name}</h2>
                <Link
                  href={hrefFor(PATHS.diary, {
                    ...state,
                    location: location.id,
                    view: 'week',
                    practitioner: practitioner.id,
                    booked: undefined,
                  })}
                  className="diary-column__week"
                >
                  Week<span className="visually-hidden"> of {practitioner.name}</span>
                </Link>
              </>
            )}
            renderActions={(item, close) => <CancelFromDiary item={item} locationName={location.name} onDone={close} />}
          />
        </>
      )}
    </div>
  );
}
