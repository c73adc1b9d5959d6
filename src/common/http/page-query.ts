import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_LIMIT = 20;

/**
 * `?limit=&cursor=` of every cursor-paginated list; a list's query extends it with its filters.
 * Only digits become a number: "1e2" or " 5" stay invalid.
 */
export class PageQuery {
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
}
