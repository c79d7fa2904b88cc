import { Spinner } from './Spinner';

interface DialogActionsProps {
  /** The change has been asked for and the server has not answered for a while. */
  slow: boolean;
  closeLabel: string;
  onClose: () => void;
  /** The change the dialog is for; none once it is done or can no longer be made. */
  confirm?: { label: string; tone: 'primary' | 'danger'; pending: boolean; onConfirm: () => void };
}

/** A change dialog's foot: a notice while the server is slow, a way out, and the button that makes the change. */
export function DialogActions({ slow, closeLabel, onClose, confirm }: DialogActionsProps) {
  return (
    <>
      {slow && (
        <p role="status" className="notice">
          The server is slow to answer; still waiting.
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          {closeLabel}
        </button>
        {confirm && (
          <button
            type="button"
            className={`button button--${confirm.tone}`}
            aria-busy={confirm.pending}
            onClick={confirm.onConfirm}
          >
            {confirm.pending && <Spinner />}
            {confirm.label}
          </button>
        )}
      </div>
    </>
  );
}
