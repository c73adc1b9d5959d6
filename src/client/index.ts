/**
 * The typed client of the data API (`data-api/client`). It depends on node:*, undici and, for
 * the Nest module only, @nestjs/common — never on the server's code.
 */
export type { DataRecord, ErrorBody, ExportQuery, FileMeta, HealthReport, ListFilesQuery, ListRecordsQuery, Page, PageInfo, RecordBody } from './api.types.js';
export {
  ApiError,
  type ApiErrorInit,
  codeForStatus,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  HeadersTooLargeError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RangeNotSatisfiableError,
  RateLimitedError,
  RequestTimeoutError,
  ServiceUnavailableError,
  TimeoutError,
  type TimeoutPhase,
  TransportError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './client.errors.js';
export { CLIENT_DEFAULTS, type DataApiClientOptions, type TokenSource } from './client.options.js';
export { type CreateOptions, DataApiClient, type DownloadOptions, type HealthResult, type UpdateOptions, type UploadOptions } from './data-api.client.js';
export { DataApiClientModule } from './data-api-client.module.js';
export { DATA_API_CLIENT_OPTIONS } from './data-api-client.module-definition.js';
export type { ByteRange, DownloadInfo, FileDownload } from './file.download.js';
export type { CallOptions } from './http.transport.js';
export type { UploadSource } from './upload.source.js';
