import type { PageInfo } from '../../common/http/page.js';
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

export function errorEnvelope(
  error: ErrorEnvelope['error'],
  requestId: string,
  path: string,
): ErrorEnvelope {
  return { status: 'error', error, timestamp: new Date().toISOString(), requestId, path };
}
