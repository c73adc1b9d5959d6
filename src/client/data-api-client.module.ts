import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { DataApiClientOptions } from './client.options.js';
import { DataApiClient } from './data-api.client.js';
import { ConfigurableDataApiClientModule, DATA_API_CLIENT_OPTIONS } from './data-api-client.module-definition.js';

/**
 * Provides one {@link DataApiClient} (inject it by its class) built from the module's options,
 * and closes its connections when the application shuts down.
 */
@Module({
  providers: [
    {
      provide: DataApiClient,
      useFactory: (options: DataApiClientOptions) => new DataApiClient(options),
      inject: [DATA_API_CLIENT_OPTIONS],
    },
  ],
  exports: [DataApiClient],
})
export class DataApiClientModule extends ConfigurableDataApiClientModule implements OnModuleDestroy {
  constructor(@Inject(DataApiClient) private readonly client: DataApiClient) {
    super();
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
