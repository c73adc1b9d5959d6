import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsSafeText } from '../../../common/validation/index.js';

export const DEFAULT_PAGE_LIMIT = 20;

/** `GET /api/data?limit=&cursor=&key=`. Only digits become a number: "1e2" or " 5" stay invalid. */
export class ListRecordsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: DEFAULT_PAGE_LIMIT, description: 'Page size (digits only).' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The `page.nextCursor` of the previous page. Opaque.' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'Only records with exactly this key.', example: 'test_value' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @IsSafeText()
  key?: string;
}
