import type { Ref } from 'react';
import type { ClinicContact } from '../clinicContact';

interface PhoneTheClinicProps {
  /** Why it cannot be done online: the cut-off rule's words, the app's or the server's. */
  why: string;
  clinic: ClinicContact;
  className?: string;
  /** For focus to land here when the message replaces the button that had it. */
  ref?: Ref<HTMLDivElement>;
}

/** A phone number as a tel: address: digits and a leading +, nothing else. */
function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** Past the cut-off, a patient is told to phone, with the number to call where the clinic's record has one. */
export function PhoneTheClinic({ why, clinic, className = 'phone-clinic', ref }: PhoneTheClinicProps) {
  return (
    <div ref={ref} tabIndex={-1} className={className}>
      <p className="phone-clinic__why">{why}</p>
      {clinic.phone ? (
        <p className="phone-clinic__number">
          Phone {clinic.name ?? 'the clinic'} on <a href={telHref(clinic.phone)}>{clinic.phone}</a>.
        </p>
      ) : (
        <p className="phone-clinic__number">The clinic&apos;s phone number is not on record here.</p>
      )}
    </div>
  );
}
