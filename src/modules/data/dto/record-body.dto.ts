import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsJsonObject, IsSafeText, IsTextArray, TextLength } from '../../../common/validation/index.js';
import { NestedDto } from './nested.dto.js';

export const ATTRIBUTES_LIMITS = { maxBytes: 32 * 1024, maxDepth: 8 };
export const TAGS_LIMITS = { maxItems: 32, minLength: 1, maxLength: 64 };

// Both constraints refuse a non-object with the same words, so the detail carries them once.
const NESTED_MUST_BE_AN_OBJECT = { message: '$property must be an object' };

/** The body of `POST /api/data` and `PUT /api/data/:id` (a PUT replaces every field). */
export class RecordBodyDto {
  /** Stored byte-exact: no trimming, no normalization. */
  @ApiProperty({
    minLength: 1,
    maxLength: 256,
    description:
      'Characters are Unicode code points. Stored byte-exact (no trimming or normalization); no NUL, no unpaired surrogates.',
    example: 'test_value',
  })
  @IsString()
  @TextLength(1, 256)
  @IsSafeText()
  key!: string;

  @ApiPropertyOptional({ type: NestedDto, nullable: true })
  @IsOptional()
  @IsObject(NESTED_MUST_BE_AN_OBJECT)
  @ValidateNested(NESTED_MUST_BE_AN_OBJECT)
  @Type(() => NestedDto)
  nested?: NestedDto | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: TAGS_LIMITS.minLength, maxLength: TAGS_LIMITS.maxLength },
    maxItems: TAGS_LIMITS.maxItems,
    uniqueItems: true,
    nullable: true,
    description: 'Characters are Unicode code points. No NUL, no unpaired surrogates.',
    example: ['a', 'b'],
  })
  @IsOptional()
  @IsTextArray(TAGS_LIMITS)
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
