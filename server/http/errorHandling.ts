import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issue, operationOutcome, type IssueCode } from '../../domain/operationOutcome';
import { FhirError } from '../core/fhirError';
import { FHIR_JSON } from '../core/mediaTypes';
import { LIMITS } from './requestLimits';
import { pathOf } from '../core/requestPath';
import { databaseRefusalOf } from '../storage/databaseRefusal';

const CODE_FOR_STATUS: Record<number, IssueCode> = {
  400: 'structure',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  413: 'too-long',
  414: 'too-long',
  415: 'not-supported',
};

/** Seconds a client is asked to wait after the database gave up on its request. */
const RETRY_AFTER_TIMEOUT_SECONDS = 5;

function plainWords(error: FastifyError, request: FastifyRequest): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')
        ? `The form body is larger than ${LIMITS.formBodyBytes / 1024} KB. Send fewer search parameters.`
        : 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send FHIR resources as application/fhir+json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; it must be a JSON resource.';
    default:
      return error.statusCode === 400 ? `The request could not be read: ${error.message}` : error.message;
  }
}

/**
 * The token endpoint speaks OAuth (RFC 6749 5.2), so what is refused before it runs (too many
 * parameters, too large a body) is OAuth error JSON there, and an OperationOutcome everywhere else.
 */
function send(request: FastifyRequest, reply: FastifyReply, status: number, issues: ReturnType<typeof issue>[]) {
  reply.code(status).header('Cache-Control', 'no-store');
  if (pathOf(request) === '/auth/token') {
    return reply.type('application/json; charset=utf-8').send({
      error: status >= 500 ? 'server_error' : 'invalid_request',
      error_description: issues.map((found) => found.diagnostics).join(' '),
    });
  }
  return reply.type(FHIR_JSON).send(operationOutcome(issues));
}

/** Every error leaves as an OperationOutcome; only a fault of ours is a 500, and it is logged. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FhirError) return send(request, reply, error.status, error.issues);
    const refusal = databaseRefusalOf(error);
    if (refusal === 'timed-out') {
      // The statement timeout: the database stopped this request's work so that it could not hold everyone up.
      request.log.warn({ err: error }, 'statement timeout');
      reply.header('Retry-After', String(RETRY_AFTER_TIMEOUT_SECONDS));
      return send(request, reply, 503, [
        issue(
          'too-costly',
          'This request took the database too long, so it was stopped. Narrow the search and try again.',
        ),
      ]);
    }
    if (refusal === 'too-large') {
      return send(request, reply, 400, [
        issue(
          'too-costly',
          'This request asks the database for more than it can take in one statement. Narrow the search and try again.',
        ),
      ]);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      return send(request, reply, 500, [
        issue('exception', 'The server failed to handle this request. It has been logged.'),
      ]);
    }
    return send(request, reply, status, [issue(CODE_FOR_STATUS[status] ?? 'invalid', plainWords(error, request))]);
  });
}
