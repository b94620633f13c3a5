import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Ajv } from 'ajv';
import { apiErrorBodySchema, problemDetailsSchema, type ApiErrorBody } from 'nestjs-api-errors';

/** A response as the client saw it: status, headers and the exact bytes of the body. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as sent, decoded as UTF-8. */
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  /** Sent as it is; an object is sent as JSON with `content-type: application/json`. */
  body?: string | Buffer | object;
  /** Do not check an error response against the envelope (for tests of Nest's own bodies, or HEAD). */
  skipErrorCheck?: boolean;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateErrorBody = ajv.compile<ApiErrorBody<string>>(apiErrorBodySchema);
const validateProblemBody = ajv.compile<{ status: number; error_id: string }>(problemDetailsSchema);
const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The one HTTP client of the suite: node:http against a real listening server, so that raw bytes,
 * odd headers and malformed bodies go out exactly as written. Every error response (status ≥ 400) is
 * checked against `apiErrorBodySchema` and against its `X-Error-Id` header: a response that does not
 * match fails the test that made it.
 */
export function send(baseUrl: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string | string[]> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      payload = Buffer.from(options.body);
    } else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    headers['content-length'] ??= String(payload.length);
  }
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        const response = { status: res.statusCode ?? 0, headers: res.headers, text, json };
        try {
          if (options.skipErrorCheck !== true) {
            checkErrorResponse(response);
          }
          resolve(response);
        } catch (error) {
          reject(error);
        }
      });
    });
    // A server may answer (413) and close before it has read the whole body: the answer counts.
    req.on('error', error => setTimeout(() => reject(error), 200));
    req.end(payload);
  });
}

function checkErrorResponse(response: RawResponse): void {
  if (response.status < 400) {
    return;
  }
  if (response.headers['content-type'] === PROBLEM_CONTENT_TYPE) {
    checkProblemResponse(response);
    return;
  }
  if (!validateErrorBody(response.json)) {
    throw new Error(
      `${response.status} response does not validate against apiErrorBodySchema: ${ajv.errorsText(validateErrorBody.errors)}\n${response.text}`,
    );
  }
  if (response.headers['x-error-id'] !== response.json.error_id) {
    throw new Error(
      `X-Error-Id header ${String(response.headers['x-error-id'])} differs from error_id ${response.json.error_id}`,
    );
  }
  if (response.headers['content-type'] !== 'application/json; charset=utf-8') {
    throw new Error(`error response has content-type ${String(response.headers['content-type'])}`);
  }
}

/** A problem details body (the `problemDetails` option): its schema, its status and its error id header. */
function checkProblemResponse(response: RawResponse): void {
  if (!validateProblemBody(response.json)) {
    throw new Error(
      `${response.status} response does not validate against problemDetailsSchema: ${ajv.errorsText(validateProblemBody.errors)}\n${response.text}`,
    );
  }
  if (response.json.status !== response.status) {
    throw new Error(`problem details status ${String(response.json.status)} differs from ${response.status}`);
  }
  if (response.headers['x-error-id'] !== response.json.error_id) {
    throw new Error(
      `X-Error-Id header ${String(response.headers['x-error-id'])} differs from error_id ${response.json.error_id}`,
    );
  }
}

/**
 * The exact bytes an error body must have: the same serialisation on both adapters, with the error id
 * the response carries.
 */
export function expectedErrorText(
  response: RawResponse,
  code: string,
  messages: string[] | Record<string, string[]>,
  fields: Record<string, unknown> = {},
): string {
  return JSON.stringify({ status: 'error', error_code: code, error_id: response.json?.error_id, messages, ...fields });
}
