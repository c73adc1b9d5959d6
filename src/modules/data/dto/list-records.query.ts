import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PageQuery } from '../../../common/http/index.js';
import { IsSafeText, TextLength } from '../../../common/validation/index.js';

/** `GET /api/data?limit=&cursor=&key=`. */
export class ListRecordsQuery extends PageQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'Only records with exactly this key.', example: 'test_value' })
  @IsOptional()
  @IsString()
  @TextLength(1, 256)
  @IsSafeText()
  key?: string;
}
