import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type Caller, CurrentCaller, SCOPES, Scopes } from '../../auth/index.js';
import { ifNoneMatchHits, NOT_MODIFIED, type NotModified, type Page, versionEtag } from '../../common/http/index.js';
import { UuidOrNotFoundPipe } from '../../common/pipes/uuid-or-not-found.pipe.js';
import type { DataRecord } from './data.record.js';
import { DataService } from './data.service.js';
import { ListRecordsQuery } from './dto/list-records.query.js';
import { RecordBodyDto } from './dto/record-body.dto.js';

@Controller('api/data')
export class DataController {
  constructor(private readonly data: DataService) {}

  @Post()
  @Scopes(SCOPES.write)
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
  list(@CurrentCaller() caller: Caller, @Query() query: ListRecordsQuery): Promise<Page<DataRecord>> {
    return this.data.list(caller, query);
  }

  @Get(':id')
  @Scopes(SCOPES.read)
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
  async remove(@CurrentCaller() caller: Caller, @Param('id', UuidOrNotFoundPipe) id: string): Promise<void> {
    await this.data.remove(caller, id);
  }
}
