/** The media type of every FHIR answer, errors included (any layer that answers a FHIR request uses it). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
