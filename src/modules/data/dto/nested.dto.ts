import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsSafeInteger, IsSafeText, TextLength } from '../../../common/validation/index.js';

export class NestedDto {
  @ApiProperty({ type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, example: 123 })
  @IsSafeInteger()
  field1!: number;

  @ApiProperty({ maxLength: 1024, description: 'Characters are Unicode code points. No NUL, no unpaired surrogates.', example: 'example' })
  @IsString()
  @TextLength(0, 1024)
  @IsSafeText()
  field2!: string;
}
