import type { FastifyError, FastifyInstance } from 'fastify';
import { issue, operationOutcome, type IssueCode } from '../../domain/operationOutcome';
import { FhirError } from '../core/fhirError';
import { FHIR_JSON } from '../core/mediaTypes';

const CODE_FOR_STATUS: Record<number, IssueCode> = {
  400: 'structure',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  413: 'too-long',
  415: 'not-supported',
};

function plainWords(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send FHIR resources as application/fhir+json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; it must be a JSON resource.';
    default:
      return error.statusCode === 400 ? `The request could not be read: ${error.message}` : error.message;
  }
}

/** Every error leaves as an OperationOutcome; only a fault of ours is a 500, and it is logged. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FhirError) {
      return reply.code(error.status).type(FHIR_JSON).send(operationOutcome(error.issues));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).type(FHIR_JSON).send(operationOutcome([issue('exception', 'The server failed to handle this request. It has been logged.')]));
    }
    return reply.code(status).type(FHIR_JSON).send(operationOutcome([issue(CODE_FOR_STATUS[status] ?? 'invalid', plainWords(error))]));
  });
}
