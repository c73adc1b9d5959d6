import { ApiProperty } from '@nestjs/swagger';
import type { DataRecord } from '../data.record.js';
import { NestedDto } from './nested.dto.js';

/** The OpenAPI shape of a stored record (`DataRecord`); documentation only. */
export class DataRecordDto implements DataRecord {
  @ApiProperty({ format: 'uuid', example: '6f1c0e2a-5b7d-4c1e-9a3f-2d8b7c6e5f40' })
  id!: string;

  @ApiProperty({ example: 'test_value' })
  key!: string;

  @ApiProperty({ type: NestedDto, nullable: true, example: { field1: 123, field2: 'example' } })
  nested!: NestedDto | null;

  @ApiProperty({ type: [String], example: ['a', 'b'] })
  tags!: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: { source: 'curl' } })
  attributes!: Record<string, unknown>;

  @ApiProperty({ description: "The creating token's `sub`.", example: 'alice' })
  owner!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Starts at 1, +1 per PUT; the ETag.', example: 1 })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:47:06.022Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:47:06.022Z' })
  updatedAt!: string;
}
