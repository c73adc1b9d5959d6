import { IsString, MaxLength } from 'class-validator';
import { IsSafeInteger, IsSafeText } from '../../../common/validation/index.js';

export class NestedDto {
  @IsSafeInteger()
  field1!: number;

  @IsString()
  @MaxLength(1024)
  @IsSafeText()
  field2!: string;
}
