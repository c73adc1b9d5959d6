import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../../common/http/index.js';
import { IsSafeText } from '../../../common/validation/index.js';

/** `GET /api/data?limit=&cursor=&key=`. */
export class ListRecordsQuery extends PageQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'Only records with exactly this key.', example: 'test_value' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  @IsSafeText()
  key?: string;
}
