import { Module } from '@nestjs/common';
import { FileStorage } from './file-storage.js';
import { FilesController } from './files.controller.js';
import { FilesRepository } from './files.repository.js';
import { FilesService } from './files.service.js';

/** Uploaded files: metadata in the database, bytes under UPLOAD_DIR, owned by the token's subject. */
@Module({
  controllers: [FilesController],
  providers: [FilesService, FilesRepository, FileStorage],
  exports: [FilesService],
})
export class FilesModule {}
