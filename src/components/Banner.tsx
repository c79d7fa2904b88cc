import type { ReactNode } from 'react';

export interface BannerFact {
  label: string;
  value: string;
}

/** A strip that keeps who is being helped in view: a title, labelled facts and actions. */
export function Banner({
  label,
  title,
  facts,
  actions,
}: {
  label: string;
  title: string;
  facts: BannerFact[];
  actions?: ReactNode;
}) {
  return (
    <section className="banner" aria-label={label}>
      <div className="banner__inner">
        <p className="banner__title">{title}</p>
        <dl className="banner__facts">
          {facts.map((fact) => (
            <div key={fact.label} className="banner__fact">
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
        {actions && <div className="banner__actions">{actions}</div>}
      </div>
    </section>
  );
}
