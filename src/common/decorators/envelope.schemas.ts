import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CATALOGUE, type ErrorCode } from '../../core/errors/index.js';

// OpenAPI shapes of the envelopes in core/http/envelope.ts. Documentation only: nothing
// validates or builds responses from these classes.

/** Every catalogue code, in catalogue order: the spec's `ErrorCode` enum is generated from it. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

@ApiSchema({ name: 'ErrorDetail', description: 'One failing field by path, and why.' })
export class ErrorDetailSchema {
  @ApiProperty({ example: 'nested.field1' })
  field!: string;

  @ApiProperty({ type: [String], example: ['field1 must be an integer between -(2^53-1) and 2^53-1'] })
  messages!: string[];
}

@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodySchema {
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', description: 'Stable: clients rely on codes, not messages.' })
  code!: ErrorCode;

  @ApiProperty({ description: 'For humans; may change.', example: 'Request validation failed' })
  message!: string;

  @ApiPropertyOptional({ type: [ErrorDetailSchema] })
  details?: ErrorDetailSchema[];
}

@ApiSchema({ name: 'ErrorEnvelope', description: 'The body of every non-2xx response.' })
export class ErrorEnvelopeSchema {
  @ApiProperty({ enum: ['error'] })
  status!: 'error';

  @ApiProperty({ type: ErrorBodySchema })
  error!: ErrorBodySchema;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ description: 'Also sent as the X-Request-Id response header.' })
  requestId!: string;

  @ApiProperty({ description: 'The request path, without the query string.', example: '/api/data' })
  path!: string;
}

@ApiSchema({ name: 'SuccessEnvelope', description: 'The body of every 200/201 response; `data` is the route\'s result.' })
export class SuccessEnvelopeSchema {
  @ApiProperty({ enum: ['success'] })
  status!: 'success';

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ description: 'Also sent as the X-Request-Id response header.' })
  requestId!: string;
}

@ApiSchema({ name: 'PageInfo' })
export class PageInfoSchema {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  limit!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass back as `cursor` for the next page; `null` on the last page. Opaque.',
  })
  nextCursor!: string | null;
}

@ApiSchema({ name: 'ListEnvelope', description: 'A success envelope whose `data` is one page of items.' })
export class ListEnvelopeSchema extends SuccessEnvelopeSchema {
  @ApiProperty({ type: PageInfoSchema })
  page!: PageInfoSchema;
}
