import { ApiProperty } from '@nestjs/swagger';
import type { StoredFile } from '../stored-file.js';

/** The OpenAPI shape of an uploaded file's metadata (`StoredFile`); documentation only. */
export class StoredFileDto implements StoredFile {
  @ApiProperty({ format: 'uuid', example: '0b8e2f0c-3c1d-4d57-9a3e-5f6c7d8e9f10' })
  id!: string;

  @ApiProperty({
    maxLength: 255,
    description: 'The uploaded name, sanitized: last path component, no control or bidi characters, NFC, at most 255 UTF-8 bytes.',
    example: 'report.pdf',
  })
  filename!: string;

  @ApiProperty({ description: 'The declared type, lower case, without parameters.', example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Bytes.', example: 48213 })
  size!: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes, lower-case hex; the download ETag.' })
  sha256!: string;

  @ApiProperty({ type: 'string', nullable: true, maxLength: 1024, example: 'Quarterly report' })
  description!: string | null;

  @ApiProperty({ description: "The uploading token's `sub`.", example: 'alice' })
  owner!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
