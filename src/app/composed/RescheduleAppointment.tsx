/**
 * Rescheduling composed for any screen that shows an appointment (a patient's list, the diary): the
 * appointments feature's dialog with the practitioners feature's picker and the slots feature's
 * week of free slots, which no feature may import from another.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { useState } from 'react';
import type { ClinicContact } from '../../features/appointments/clinicContact';
import type { AppointmentNames } from '../../features/appointments/components/CancelAppointmentDialog';
import { RescheduleDialog, type ReschedulePickerProps } from '../../features/appointments/components/RescheduleDialog';
import { practitionerQueries, schedulesAt } from '../../features/practitioners/api/practitionerQueries';
import { PractitionerPicker } from '../../features/practitioners/components/PractitionerPicker';
import type { FreeSlot } from '../../features/slots/api/slotQueries';
import { SlotPicker } from '../../features/slots/components/SlotPicker';
import { Loading } from '../../components/Spinner';
import { useAppConfig, useFhirClient } from '../../lib/appContext';
import { humanName } from '../../lib/format';
import { clinicDate, startOfClinicWeek } from '../../../domain/clinicTime';
import { onlineBookableFrom } from '../../../domain/extensions';

/** Same practitioner by default, anyone else on request; their free slots week by week. */
function ReschedulePicker({
  currentPractitioner,
  chosen,
  onChoose,
  onlineOnly,
}: ReschedulePickerProps & { onlineOnly: boolean }) {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const { timeZone } = useAppConfig();
  const thisWeek = startOfClinicWeek(clinicDate(new Date(), timeZone));
  const [practitionerId, setPractitionerId] = useState(currentPractitioner?.id);
  const [week, setWeek] = useState(thisWeek);
  const practitioner = useQuery({
    ...practitionerQueries.detail(client, practitionerId ?? ''),
    enabled: Boolean(practitionerId),
  });
  const schedules = useQuery({
    ...practitionerQueries.schedules(client, practitionerId ?? ''),
    enabled: Boolean(practitionerId),
  });
  const scheduleIds = schedules.data ? schedulesAt(schedules.data, undefined) : [];
  // A patient is offered only what they may book online: the slot's flag, else its schedule's.
  const isOffered = onlineOnly
    ? (slot: FreeSlot) =>
        onlineBookableFrom(
          schedules.data?.find((schedule) => schedule.scheduleId === slot.scheduleId)?.onlineBookable,
          slot.onlineBookable,
        )
    : undefined;
  const name = practitioner.data
    ? humanName(practitioner.data.name)
    : practitionerId === currentPractitioner?.id
      ? currentPractitioner?.name
      : undefined;

  return (
    <div className="reschedule-picker">
      <PractitionerPicker
        practitionerId={practitionerId}
        onChoose={(found) => {
          if (found.id) queryClient.setQueryData(practitionerQueries.detail(client, found.id).queryKey, found);
          setPractitionerId(found.id);
          onChoose(undefined);
        }}
      />
      {practitionerId &&
        (schedules.isPending ? (
          <Loading label="Loading the practitioner's schedule…" />
        ) : (
          <SlotPicker
            practitionerId={practitionerId}
            scheduleIds={scheduleIds}
            weekStart={week}
            thisWeek={thisWeek}
            selectedSlotId={chosen?.slotId}
            isOffered={isOffered}
            onSelect={(slot) => {
              const place = schedules.data?.find((schedule) => schedule.scheduleId === slot.scheduleId);
              onChoose({
                slotId: slot.id,
                start: slot.start,
                end: slot.end,
                practitioner: { id: practitionerId, name },
                location: place?.locationId ? { id: place.locationId, name: place.locationName } : undefined,
              });
            }}
            onWeekChange={(weekStart) => {
              setWeek(weekStart);
              onChoose(undefined);
            }}
          />
        ))}
    </div>
  );
}

interface RescheduleAppointmentDialogProps {
  appointment: Appointment;
  names?: AppointmentNames;
  onClose: () => void;
  onRescheduled: (message: string) => void;
  clinic?: ClinicContact;
  onTooLate?: (why: string) => void;
  /** A patient moving their own appointment: only times bookable online are offered. */
  onlineOnly?: boolean;
}

/** "Reschedule" for one appointment: the diary screen renders this too. */
export function RescheduleAppointmentDialog({ onlineOnly = false, ...props }: RescheduleAppointmentDialogProps) {
  return (
    <RescheduleDialog {...props} renderPicker={(picker) => <ReschedulePicker {...picker} onlineOnly={onlineOnly} />} />
  );
}
