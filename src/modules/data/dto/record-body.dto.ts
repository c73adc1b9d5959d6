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
  @IsString()
  @Length(1, 256)
  @IsSafeText()
  key!: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NestedDto)
  nested?: NestedDto | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @IsSafeText({ each: true })
  tags?: string[] | null;

  // Free-form: keep the parsed JSON as it came instead of letting class-transformer rebuild it.
  @IsOptional()
  @Transform(({ obj }) => (obj as Record<string, unknown>).attributes, { toClassOnly: true })
  @IsJsonObject(ATTRIBUTES_LIMITS)
  attributes?: Record<string, unknown> | null;
}
