import { Module } from '@nestjs/common';
import { DataController } from './data.controller.js';
import { DataRepository } from './data.repository.js';
import { DataService } from './data.service.js';

/** The first team module: validated records, owned by the token's subject. */
@Module({
  controllers: [DataController],
  providers: [DataService, DataRepository],
  exports: [DataService],
})
export class DataModule {}
