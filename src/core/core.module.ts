import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { EnvelopeExceptionFilter } from './filters/envelope-exception.filter.js';
import { EnvelopeInterceptor } from './interceptors/envelope.interceptor.js';
import { AppValidationPipe } from './pipes/app-validation.pipe.js';

/**
 * Global request pipeline as APP_* providers, so every app built from AppModule (main.ts and
 * each test) gets the same pipe, filter and envelope without re-creating the bootstrap.
 */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: EnvelopeExceptionFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
  ],
})
export class CoreModule {}
