// One mapping from errors to HTTP answers, used by the single Fastify error handler.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, toWaymarkError, WaymarkError } from '../errors.ts';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  expression_error: 400,
  template_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  in_use: 409,
  approval_required: 409,
  in_review: 409,
  provider_error: 502,
  secret_required: 422,
  internal: 500,
};

export function errorHandler(
  error: FastifyError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  const fe = error as FastifyError;
  let err: WaymarkError;
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    err = new WaymarkError(
      ErrorCode.BadRequest,
      'send the body as application/json (or text/yaml for packages)',
      { details: { contentType: req.headers['content-type'] ?? null } },
    );
  else if (
    fe.statusCode === 400 &&
    (fe.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError)
  )
    err = new WaymarkError(
      ErrorCode.BadRequest,
      `the request body is not valid JSON: ${error.message}`,
    );
  else if (fe.statusCode === 413)
    err = new WaymarkError(ErrorCode.BadRequest, 'the request body is too large');
  // A body nested deeper than a parser or a check can recurse (YAML packages; JSON is refused before).
  else if (error instanceof RangeError && /call stack/i.test(error.message))
    err = new WaymarkError(ErrorCode.BadRequest, 'the request body is nested too deeply');
  else err = toWaymarkError(error);
  const status = statusOf[err.code] ?? 500;
  if (status >= 500)
    req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
  void reply.status(status).send({ error: err.toJSON() });
}
