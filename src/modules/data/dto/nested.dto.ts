import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsSafeInteger, IsSafeText } from '../../../common/validation/index.js';

export class NestedDto {
  @ApiProperty({ type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, example: 123 })
  @IsSafeInteger()
  field1!: number;

  @ApiProperty({ maxLength: 1024, description: 'No NUL, no unpaired surrogates.', example: 'example' })
  @IsString()
  @MaxLength(1024)
  @IsSafeText()
  field2!: string;
}
