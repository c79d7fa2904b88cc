import { Link } from 'wouter';
import { EmptyState } from '../../components/EmptyState';
import { hrefFor, PATHS, useAppState } from '../urlState';

export function NeedPatient({ title }: { title: string }) {
  const state = useAppState();
  return (
    <div className="screen screen--narrow">
      <h1 className="screen__title">{title}</h1>
      <EmptyState title="No patient chosen yet.">
        <Link href={hrefFor(PATHS.find, state)} className="button button--primary">
          Find a patient
        </Link>
      </EmptyState>
    </div>
  );
}
