import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Caller, CurrentCaller, SCOPES, Scopes } from '../../auth/index.js';
import type { Page } from '../../common/http/index.js';
import { ApiEnvelope } from '../../common/decorators/api-envelope.decorator.js';
import { ApiErrors } from '../../common/decorators/api-errors.decorator.js';
import { RESPONSE_HEADERS } from '../../common/decorators/response-headers.js';
import { SkipEnvelope } from '../../common/decorators/skip-envelope.decorator.js';
import { UuidOrNotFoundPipe } from '../../common/pipes/uuid-or-not-found.pipe.js';
import { Idempotent } from '../../platform/idempotency/index.js';
import { HttpRoute } from '../../platform/http/http-plugins.js';
import { contentRange } from './byte-range.js';
import { attachmentDisposition } from './content-disposition.js';
import { ListFilesQuery } from './dto/list-files.query.js';
import { StoredFileDto } from './dto/stored-file.dto.js';
import { type Download, FilesService } from './files.service.js';
import { fileEtag, type StoredFile } from './stored-file.js';
import { MAX_DESCRIPTION_LENGTH } from './upload-reader.js';

const ETAG_HEADER = { description: 'The SHA-256 of the bytes as a strong ETag.', schema: { type: 'string' } };
const BINARY = { schema: { type: 'string', format: 'binary' } };
const DOWNLOAD_HEADERS = {
  ETag: ETAG_HEADER,
  'Content-Length': { description: 'Bytes in this response.', schema: { type: 'integer' } },
  'Content-Disposition': { description: "`attachment` with an ASCII `filename` and the exact UTF-8 `filename*`.", schema: { type: 'string' } },
  'Accept-Ranges': { description: '`bytes`.', schema: { type: 'string' } },
  'X-Request-Id': RESPONSE_HEADERS.requestId,
};

const idParam = () => ApiParam({ name: 'id', format: 'uuid', description: "Unknown, malformed or other owners' ids are 404." });

const uploadBody = () =>
  ApiBody({
    description:
      'multipart/form-data: exactly one file part (any field name, at most UPLOAD_MAX_BYTES, a declared type from ' +
      'UPLOAD_ALLOWED_TYPES that matches the bytes) and an optional `description` field. Nothing else.',
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The file; its part may use any field name.' },
        description: { type: 'string', maxLength: MAX_DESCRIPTION_LENGTH },
      },
    },
  });

/** Sets the headers of a 200 or 206 download and wraps the bytes for Nest (which handles HEAD and disconnects). */
function sendBytes(reply: FastifyReply, { file, plan, stream }: Download): StreamableFile {
  reply
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', attachmentDisposition(file.filename))
    .header('Accept-Ranges', 'bytes');
  if (plan.kind === 'partial') {
    reply.status(206).header('Content-Range', contentRange(plan.start, plan.end, file.size));
    reply.header('Content-Length', String(plan.end - plan.start + 1));
  } else {
    reply.header('Content-Length', String(file.size));
  }
  return new StreamableFile(stream!);
}

@ApiTags('files')
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @Scopes(SCOPES.write)
  @Idempotent()
  @HttpRoute({ multipart: true })
  @ApiOperation({ summary: 'Upload a file owned by the caller' })
  @ApiConsumes('multipart/form-data')
  @uploadBody()
  @ApiEnvelope(StoredFileDto, {
    status: 201,
    description: 'Stored',
    headers: { Location: { ...RESPONSE_HEADERS.location, description: "The new file's URL." }, ETag: ETAG_HEADER },
  })
  @ApiErrors('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async upload(
    @CurrentCaller() caller: Caller,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StoredFile> {
    const file = await this.files.upload(caller, request);
    reply.header('Location', `/api/files/${file.id}`).header('ETag', fileEtag(file));
    return file;
  }

  @Get()
  @Scopes(SCOPES.read)
  @ApiOperation({ summary: "List the caller's files, newest first (admins: every owner's)" })
  @ApiEnvelope([StoredFileDto])
  @ApiErrors('VALIDATION_FAILED', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  list(@CurrentCaller() caller: Caller, @Query() query: ListFilesQuery): Promise<Page<StoredFile>> {
    return this.files.list(caller, query);
  }

  @Get(':id/meta')
  @Scopes(SCOPES.read)
  @ApiOperation({ summary: "One file's metadata" })
  @idParam()
  @ApiEnvelope(StoredFileDto)
  @ApiErrors('NOT_FOUND', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  meta(@CurrentCaller() caller: Caller, @Param('id', UuidOrNotFoundPipe) id: string): Promise<StoredFile> {
    return this.files.get(caller, id);
  }

  @Get(':id')
  @Scopes(SCOPES.read)
  @SkipEnvelope()
  @HttpRoute({ noCompression: true })
  @ApiOperation({ summary: "Download a file's bytes (HEAD: headers only)" })
  @idParam()
  @ApiHeader({ name: 'Range', required: false, description: 'One range, `bytes=a-b`, `bytes=a-` or `bytes=-n`: 206. Several ranges or bad syntax: ignored (200).' })
  @ApiHeader({ name: 'If-Range', required: false, description: 'The ETag: the Range applies only while it matches.' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier download: 304 when it still matches.' })
  @ApiResponse({ status: 200, description: 'The whole file, as stored, never compressed.', headers: DOWNLOAD_HEADERS, content: { 'application/octet-stream': BINARY } })
  @ApiResponse({
    status: 206,
    description: 'The requested range.',
    headers: { ...DOWNLOAD_HEADERS, 'Content-Range': { description: '`bytes a-b/size`.', schema: { type: 'string' } } },
    content: { 'application/octet-stream': BINARY },
  })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag; no body.', headers: { ETag: ETAG_HEADER, 'X-Request-Id': RESPONSE_HEADERS.requestId } })
  @ApiErrors('NOT_FOUND', 'RANGE_NOT_SATISFIABLE', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async download(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidOrNotFoundPipe) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('range') range: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const download = await this.files.download(caller, id, { ifNoneMatch, range, ifRange });
    reply.header('ETag', download.etag);
    if (download.plan.kind === 'not-modified') {
      reply.status(304);
      return undefined;
    }
    return sendBytes(reply, download);
  }

  @Delete(':id')
  @Scopes(SCOPES.write)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file: its metadata and its bytes' })
  @idParam()
  @ApiNoContentResponse({ description: 'Deleted; no body.', headers: { 'X-Request-Id': RESPONSE_HEADERS.requestId } })
  @ApiErrors('NOT_FOUND', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE')
  async remove(@CurrentCaller() caller: Caller, @Param('id', UuidOrNotFoundPipe) id: string): Promise<void> {
    await this.files.remove(caller, id);
  }
}
