import { useId, type Ref } from 'react';
import { VISIT_COMMENT_MAX_LENGTH, VISIT_REASON_MAX_LENGTH } from '../../../../domain/appointmentRules';

export interface VisitReason {
  description: string;
  comment: string;
}

interface VisitReasonFieldsProps {
  value: VisitReason;
  onChange: (value: VisitReason) => void;
  errors: { description?: string[]; comment?: string[] };
  reasonRef?: Ref<HTMLInputElement>;
  commentRef?: Ref<HTMLTextAreaElement>;
}

/** As a person counts characters, the way domain/appointmentRules does. */
const used = (text: string) => [...text.trim()].length;

/** The reason for the visit (required, short) and anything else the clinic should know (optional). */
export function VisitReasonFields({ value, onChange, errors, reasonRef, commentRef }: VisitReasonFieldsProps) {
  const id = useId();
  const ids = {
    reason: `${id}-reason`,
    reasonHint: `${id}-reason-hint`,
    reasonError: `${id}-reason-error`,
    comment: `${id}-comment`,
    commentHint: `${id}-comment-hint`,
    commentError: `${id}-comment-error`,
  };
  const describedBy = (error: string | undefined, hint: string) => [error, hint].filter(Boolean).join(' ');
  return (
    <>
      <div className="field">
        <label htmlFor={ids.reason} className="field__label">
          Reason for the visit
        </label>
        <p id={ids.reasonHint} className="field__hint">
          A few words, like &ldquo;sore knee&rdquo; or &ldquo;repeat prescription&rdquo;: up to{' '}
          {VISIT_REASON_MAX_LENGTH} characters ({used(value.description)} used).
        </p>
        <input
          ref={reasonRef}
          id={ids.reason}
          className="input"
          autoComplete="off"
          value={value.description}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy(errors.description && ids.reasonError, ids.reasonHint)}
          onChange={(event) => onChange({ ...value, description: event.target.value })}
        />
        {errors.description && (
          <p id={ids.reasonError} className="field__error">
            {errors.description.join(' ')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.comment} className="field__label">
          Anything else the clinic should know <span className="field__optional">(optional)</span>
        </label>
        <p id={ids.commentHint} className="field__hint">
          Up to {VISIT_COMMENT_MAX_LENGTH} characters ({used(value.comment)} used).
        </p>
        <textarea
          ref={commentRef}
          id={ids.comment}
          className="input textarea"
          rows={3}
          value={value.comment}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={describedBy(errors.comment && ids.commentError, ids.commentHint)}
          onChange={(event) => onChange({ ...value, comment: event.target.value })}
        />
        {errors.comment && (
          <p id={ids.commentError} className="field__error">
            {errors.comment.join(' ')}
          </p>
        )}
      </div>
    </>
  );
}
