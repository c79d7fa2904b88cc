import { useEffect, useState } from 'react';

export const SLOW_AFTER_MS = 3000;

/** True once something has been pending for longer than a person waits without wondering. */
export function useIsSlow(pending: boolean, afterMs = SLOW_AFTER_MS): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setSlow(true), afterMs);
    return () => {
      clearTimeout(timer);
      setSlow(false);
    };
  }, [pending, afterMs]);
  return pending && slow;
}
