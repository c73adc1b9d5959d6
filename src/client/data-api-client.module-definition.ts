import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DataApiClientOptions } from './client.options.js';

/**
 * `DataApiClientModule.forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`;
 * `isGlobal: true` makes the client injectable everywhere.
 */
export const {
  ConfigurableModuleClass: ConfigurableDataApiClientModule,
  MODULE_OPTIONS_TOKEN: DATA_API_CLIENT_OPTIONS,
  OPTIONS_TYPE: DATA_API_CLIENT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DATA_API_CLIENT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DataApiClientOptions>({ moduleName: 'DataApiClient' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
