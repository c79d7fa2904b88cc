/**
 * The `Parameters` body of an operation, checked against what the operation takes: each parameter
 * named once, known, and carrying a value of a type it accepts. A wrong shape or an unknown name is
 * a 400 naming the parameter at fault (its FHIRPath), before anything is read from the database.
 */
import type { Parameters } from 'fhir/r4';
import { issue } from '../../domain/operationOutcome';
import { FhirError } from '../core/fhirError';
import { requireResource } from '../core/requestBody';

export type ValueType = 'valueCoding' | 'valueString' | 'valueReference' | 'valueDateTime' | 'valueInstant';

/** A parameter's value as sent, and the FHIRPath of that value for messages about it. */
export interface Given {
  type: ValueType;
  value: unknown;
  path: string;
}

const SHAPES: Record<ValueType, (value: unknown) => boolean> = {
  valueCoding: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  valueReference: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  valueString: (value) => typeof value === 'string',
  valueDateTime: (value) => typeof value === 'string',
  valueInstant: (value) => typeof value === 'string',
};

/** Reads the parameters an operation takes (`accepted`: name -> value types), refusing anything else with a 400. */
export function readParameters<Name extends string>(
  body: unknown,
  operation: string,
  accepted: Record<Name, ValueType[]>,
): Partial<Record<Name, Given>> {
  const parameters = requireResource<Parameters>(body, 'Parameters');
  const list: unknown = parameters.parameter ?? [];
  if (!Array.isArray(list))
    throw FhirError.of(
      400,
      'structure',
      `${operation}: "parameter" must be a list of parameters.`,
      'Parameters.parameter',
    );
  const found: Partial<Record<Name, Given>> = {};
  const problems = list.flatMap((parameter: unknown, index) => {
    const path = `Parameters.parameter[${index}]`;
    if (typeof parameter !== 'object' || parameter === null || Array.isArray(parameter))
      return [issue('structure', `${operation}: each parameter must be an object with a name and a value.`, path)];
    const { name, ...rest } = parameter as Record<string, unknown>;
    if (typeof name !== 'string' || !Object.hasOwn(accepted, name)) {
      return [
        issue(
          'not-supported',
          `${operation} takes the parameters ${Object.keys(accepted).join(', ')}; "${String(name).slice(0, 40)}" is not one of them.`,
          `${path}.name`,
        ),
      ];
    }
    if ((found as Record<string, Given>)[name])
      return [issue('structure', `${operation}: the parameter "${name}" is given more than once.`, `${path}.name`)];
    const types = accepted[name as Name];
    const valueKeys = Object.keys(rest).filter(
      (key) => key.startsWith('value') || key === 'resource' || key === 'part',
    );
    const type = valueKeys.length === 1 ? (valueKeys[0] as ValueType) : undefined;
    if (type === undefined || !types.includes(type) || !SHAPES[type](rest[type])) {
      return [issue('structure', `${operation}: "${name}" takes one ${types.join(' or ')}.`, path)];
    }
    (found as Record<string, Given>)[name] = { type, value: rest[type], path: `${path}.${type}` };
    return [];
  });
  if (problems.length > 0) throw new FhirError(400, problems);
  return found;
}
