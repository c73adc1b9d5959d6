import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Caller, CurrentCaller, SCOPES, Scopes } from '../../auth/index.js';
import { ifNoneMatchHits, NOT_MODIFIED, type NotModified, type Page, versionEtag } from '../../common/http/index.js';
import { ApiEnvelope } from '../../common/decorators/api-envelope.decorator.js';
import { ApiErrors } from '../../common/decorators/api-errors.decorator.js';
import { RESPONSE_HEADERS } from '../../common/decorators/response-headers.js';
import { SkipEnvelope } from '../../common/decorators/skip-envelope.decorator.js';
import { UuidOrNotFoundPipe } from '../../common/pipes/uuid-or-not-found.pipe.js';
import { Cached } from '../../platform/cache/index.js';
import { Idempotent } from '../../platform/idempotency/index.js';
import type { DataRecord } from './data.record.js';
import { DataService } from './data.service.js';
import { DataRecordDto } from './dto/data-record.dto.js';
import { ExportRecordsQuery } from './dto/export-records.query.js';
import { ListRecordsQuery } from './dto/list-records.query.js';
import { RecordBodyDto } from './dto/record-body.dto.js';
import { NDJSON_CONTENT_TYPE, NDJSON_TYPE, openNdjsonStream } from './ndjson-stream.js';

const ARTICLE_EXAMPLE = { key: 'test_value', nested: { field1: 123, field2: 'example' } };

const recordBody = () =>
  ApiBody({
    type: RecordBodyDto,
    description: 'application/json (UTF-8), at most BODY_LIMIT bytes. Undeclared fields are refused.',
    examples: {
      article: { summary: 'The article example', value: ARTICLE_EXAMPLE },
      full: { summary: 'Every field', value: { ...ARTICLE_EXAMPLE, tags: ['a', 'b'], attributes: { source: 'curl' } } },
    },
  });

const idParam = () => ApiParam({ name: 'id', format: 'uuid', description: 'Unknown, malformed or other owners\' ids are 404.' });

@ApiTags('data')
@ApiHeader({
  name: 'X-Request-Id',
  required: false,
  description: 'Echoed back and logged when valid (1..128 of `A-Za-z0-9._:-`); replaced by a UUID otherwise.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
})
@Controller('api/data')
export class DataController {
  constructor(private readonly data: DataService) {}

  @Post()
  @Scopes(SCOPES.write)
  @Idempotent()
  @ApiOperation({ summary: 'Create a record owned by the caller' })
  @recordBody()
  @ApiEnvelope(DataRecordDto, {
    status: 201,
    description: 'Created',
    headers: { Location: RESPONSE_HEADERS.location, ETag: RESPONSE_HEADERS.etag },
  })
  @ApiErrors('VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async create(
    @CurrentCaller() caller: Caller,
    @Body() body: RecordBodyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataRecord> {
    const record = await this.data.create(caller, body);
    reply.header('Location', `/api/data/${record.id}`).header('ETag', versionEtag(record.version));
    return record;
  }

  @Get()
  @Scopes(SCOPES.read)
  @Cached()
  @ApiOperation({ summary: "List the caller's records, newest first (admins: every owner's)" })
  @ApiEnvelope([DataRecordDto])
  @ApiErrors('VALIDATION_FAILED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  list(@CurrentCaller() caller: Caller, @Query() query: ListRecordsQuery): Promise<Page<DataRecord>> {
    return this.data.list(caller, query);
  }

  // Declared before `:id` for readers; the router ranks a static segment first anyway.
  @Get('export')
  @Scopes(SCOPES.read)
  @SkipEnvelope()
  @ApiOperation({
    summary: "Export the caller's records (admins: every owner's) as NDJSON, oldest first",
    description:
      'One record per line, each exactly as `GET /api/data/{id}` returns it in `data`, each line ended by `\\n`. ' +
      'Streamed (gzip or br when accepted), never cached. Errors found before the first byte get the error envelope; ' +
      'a failure after it aborts the transfer, so a body that ends cleanly is complete.',
  })
  @ApiProduces(NDJSON_TYPE)
  @ApiExtraModels(DataRecordDto)
  @ApiOkResponse({
    description: 'NDJSON: one `DataRecordDto` per line.',
    headers: { 'X-Request-Id': RESPONSE_HEADERS.requestId },
    content: { [NDJSON_TYPE]: { schema: { $ref: getSchemaPath(DataRecordDto) } } },
  })
  @ApiErrors('VALIDATION_FAILED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async export(
    @CurrentCaller() caller: Caller,
    @Query() query: ExportRecordsQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // HEAD would drain (read) the whole export only to discard it.
    if (request.method === 'HEAD') return void reply.type(NDJSON_CONTENT_TYPE).send();
    // Rejects, for the error envelope, when the first batch cannot be read.
    const body = await openNdjsonStream(this.data.exportBatches(caller, query), reply.raw, (error) => {
      request.log.error({ err: error }, 'export failed after the response started: the transfer was aborted');
    });
    // Not awaited: a reply is thenable, and resolves only when the whole export has been sent.
    reply.type(NDJSON_CONTENT_TYPE).send(body);
  }

  @Get(':id')
  @Scopes(SCOPES.read)
  @Cached()
  @ApiOperation({ summary: 'Read one record' })
  @idParam()
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier read: 304 when it still matches.' })
  @ApiEnvelope(DataRecordDto, { headers: { ETag: RESPONSE_HEADERS.etag } })
  @ApiNotModifiedResponse({
    description: 'If-None-Match matched the current ETag; no body.',
    headers: { ETag: RESPONSE_HEADERS.etag, 'X-Request-Id': RESPONSE_HEADERS.requestId },
  })
  @ApiErrors('NOT_FOUND', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidOrNotFoundPipe) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataRecord | NotModified> {
    const record = await this.data.get(caller, id);
    const etag = versionEtag(record.version);
    reply.header('ETag', etag);
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      reply.status(304);
      return NOT_MODIFIED;
    }
    return record;
  }

  @Put(':id')
  @Scopes(SCOPES.write)
  @ApiOperation({ summary: 'Replace a record (absent fields take their empty value); version + 1' })
  @idParam()
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on: 412 when stale.' })
  @recordBody()
  @ApiEnvelope(DataRecordDto, { headers: { ETag: RESPONSE_HEADERS.etag } })
  @ApiErrors(
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'NOT_FOUND',
    'PRECONDITION_FAILED',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'INTERNAL_ERROR',
    'SERVICE_UNAVAILABLE',
  )
  async replace(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidOrNotFoundPipe) id: string,
    @Body() body: RecordBodyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataRecord> {
    const record = await this.data.replace(caller, id, body, ifMatch);
    reply.header('ETag', versionEtag(record.version));
    return record;
  }

  @Delete(':id')
  @Scopes(SCOPES.write)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a record' })
  @idParam()
  @ApiNoContentResponse({ description: 'Deleted; no body.', headers: { 'X-Request-Id': RESPONSE_HEADERS.requestId } })
  @ApiErrors('NOT_FOUND', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async remove(@CurrentCaller() caller: Caller, @Param('id', UuidOrNotFoundPipe) id: string): Promise<void> {
    await this.data.remove(caller, id);
  }
}
