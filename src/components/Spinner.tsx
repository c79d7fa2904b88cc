import { useIsSlow } from '../lib/useIsSlow';

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

/** A loading message for screen readers and eyes; says so when the server is slow. */
export function Loading({ label }: { label: string }) {
  const slow = useIsSlow(true);
  return (
    <p className="loading" role="status">
      <Spinner />
      <span>{slow ? `${label} The server is slow to answer; still waiting.` : label}</span>
    </p>
  );
}
