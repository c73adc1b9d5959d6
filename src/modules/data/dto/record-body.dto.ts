import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsJsonObject, IsSafeText } from '../../../common/validation/index.js';
import { NestedDto } from './nested.dto.js';

export const ATTRIBUTES_LIMITS = { maxBytes: 32 * 1024, maxDepth: 8 };

/** The body of `POST /api/data` and `PUT /api/data/:id` (a PUT replaces every field). */
export class RecordBodyDto {
  /** Stored byte-exact: no trimming, no normalization. */
  @ApiProperty({
    minLength: 1,
    maxLength: 256,
    description: 'Stored byte-exact (no trimming or normalization); no NUL, no unpaired surrogates.',
    example: 'test_value',
  })
  @IsString()
  @Length(1, 256)
  @IsSafeText()
  key!: string;

  @ApiPropertyOptional({ type: NestedDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NestedDto)
  nested?: NestedDto | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 64 },
    maxItems: 32,
    uniqueItems: true,
    nullable: true,
    description: 'No NUL, no unpaired surrogates.',
    example: ['a', 'b'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @IsSafeText({ each: true })
  tags?: string[] | null;

  // Free-form: keep the parsed JSON as it came instead of letting class-transformer rebuild it.
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Free-form JSON object: at most 32 KiB serialized (UTF-8), 8 levels of nesting (the object is level 1), ' +
      'no `__proto__`/`constructor`/`prototype` keys at any depth, numbers finite within ±(2^53−1).',
    example: { source: 'curl' },
  })
  @IsOptional()
  @Transform(({ obj }) => (obj as Record<string, unknown>).attributes, { toClassOnly: true })
  @IsJsonObject(ATTRIBUTES_LIMITS)
  attributes?: Record<string, unknown> | null;
}
