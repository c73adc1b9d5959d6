import type { PageInfo } from '../../common/http/page.js';
import type { SerializedResult } from '../../common/http/serialized-result.js';
import type { ErrorCode, ErrorDetail } from '../errors/index.js';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
  page?: PageInfo;
  timestamp: string;
  requestId: string;
}

export interface ErrorEnvelope {
  status: 'error';
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
  timestamp: string;
  requestId: string;
  path: string;
}

export function successEnvelope<T>(data: T, requestId: string, page?: PageInfo): SuccessEnvelope<T> {
  return page
    ? { status: 'success', data, page, timestamp: new Date().toISOString(), requestId }
    : { status: 'success', data, timestamp: new Date().toISOString(), requestId };
}

/** The success envelope of an already serialized result, as JSON text (see SerializedResult). */
export function serializedSuccessEnvelope(result: SerializedResult, requestId: string): string {
  const page = result.pageJson === undefined ? '' : `,"page":${result.pageJson}`;
  return `{"status":"success","data":${result.dataJson}${page},"timestamp":"${new Date().toISOString()}","requestId":${JSON.stringify(requestId)}}`;
}

export function errorEnvelope(
  error: ErrorEnvelope['error'],
  requestId: string,
  path: string,
): ErrorEnvelope {
  return { status: 'error', error, timestamp: new Date().toISOString(), requestId, path };
}
