import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from '../../core/errors/index.js';

/**
 * For `:id` route params: an id that cannot exist names no resource, so it is a 404 like any
 * unknown id (and never reaches a `uuid` column, where PostgreSQL would reject it with a 500).
 */
@Injectable()
export class UuidOrNotFoundPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value)) throw new AppError('NOT_FOUND');
    return value.toLowerCase();
  }
}
