import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import { parseSince } from '../export-since.js';
import { ListRecordsQuery } from './list-records.query.js';

const IsSince = () =>
  ValidateBy({
    name: 'isSince',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseSince(value) !== undefined,
      defaultMessage: () => 'since must be a date-time with Z or an offset (2026-11-25T10:47:06Z) or a date (2026-11-25)',
    },
  });

/**
 * `GET /api/data/export?key=&since=`: `key` exactly as the list takes it (same rules, same
 * documentation); no `limit` or `cursor`, since the export has no pages.
 */
export class ExportRecordsQuery extends PickType(ListRecordsQuery, ['key'] as const) {
  @ApiPropertyOptional({
    description:
      'Only records updated at or after this instant: an RFC 3339 date-time with `Z` or an offset, or a date (`YYYY-MM-DD`, midnight UTC).',
    example: '2026-11-25T10:47:06Z',
  })
  @IsOptional()
  @IsString()
  @IsSince()
  since?: string;
}
