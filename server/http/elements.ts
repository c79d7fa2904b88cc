/**
 * `_elements`: a match cut down to the elements asked for. FHIR has servers keep the mandatory
 * elements whatever is asked (so the result is still a valid resource) and tag the result
 * SUBSETTED, so nobody takes it for the whole resource and writes it back.
 */
import { tryGetDataType } from '@medplum/core';
import type { Coding, Resource } from 'fhir/r4';
import { loadDefinitions } from '../core/structuralValidation';

export const SUBSETTED: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

interface TypeElements {
  /** Top-level elements with a minimum cardinality of one or more. */
  mandatory: string[];
  /** Top-level choice elements (`deceased[x]`), by their stem. */
  choices: string[];
}

const elementsByType = new Map<string, TypeElements>();

function typeElements(type: string): TypeElements {
  const known = elementsByType.get(type);
  if (known) return known;
  loadDefinitions();
  const topLevel = Object.entries(tryGetDataType(type)?.elements ?? {}).filter(([path]) => !path.includes('.'));
  const found = {
    mandatory: topLevel.filter(([, element]) => element.min > 0).map(([path]) => path.replace(/\[x\]$/, '')),
    choices: topLevel.filter(([path]) => path.endsWith('[x]')).map(([path]) => path.slice(0, -3)),
  };
  elementsByType.set(type, found);
  return found;
}

export function withElements(resource: Resource, elements: readonly string[]): Resource {
  const { mandatory, choices } = typeElements(resource.resourceType);
  const kept = new Set(['resourceType', 'id', 'meta', ...elements, ...mandatory]);
  // A choice element is asked for by its stem (`deceased`) and stored with its type (`deceasedBoolean`).
  const keptChoices = choices.filter((stem) => kept.has(stem));
  const keeps = (name: string) => {
    const bare = name.replace(/^_/, '');
    return (
      kept.has(bare) || keptChoices.some((stem) => bare.startsWith(stem) && /^[A-Z]/.test(bare.slice(stem.length)))
    );
  };
  const subset = Object.fromEntries(Object.entries(resource).filter(([name]) => keeps(name))) as Resource;
  return { ...subset, meta: { ...resource.meta, tag: [...(resource.meta?.tag ?? []), SUBSETTED] } };
}
