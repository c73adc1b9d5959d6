import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataApiClient, DataApiClientModule, type DataRecord } from '../../../src/client/index.js';
import { type FaultServer, sendEnvelope, startHttpServer } from './fault-servers.js';

const RECORD = { id: '6f1c0000-0000-4000-8000-000000000002', key: 'from-module' } as DataRecord;
const UPSTREAM_URL = Symbol('UPSTREAM_URL');

/** A team service that calls the data API through the injected client. */
@Injectable()
class ReportService {
  constructor(readonly client: DataApiClient) {}

  keyOf(id: string): Promise<string> {
    return this.client.getRecord(id).then((record) => record.key);
  }
}

describe('DataApiClientModule', () => {
  let server: FaultServer;
  const authorizations: (string | undefined)[] = [];
  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      authorizations.push(request.headers.authorization);
      sendEnvelope(response, 200, RECORD);
    });
  });
  afterAll(() => server.close());
  afterEach(() => jest.restoreAllMocks());

  it('forRoot: a team module injects DataApiClient; the app closes it on shutdown', async () => {
    const close = jest.spyOn(DataApiClient.prototype, 'close');
    const moduleRef = await Test.createTestingModule({
      imports: [DataApiClientModule.forRoot({ baseUrl: server.url, token: 'static-token' })],
      providers: [ReportService],
    }).compile();
    await moduleRef.init();
    const reports = moduleRef.get(ReportService);
    expect(await reports.keyOf(RECORD.id)).toBe('from-module');
    expect(authorizations.at(-1)).toBe('Bearer static-token');

    await moduleRef.close();
    expect(close).toHaveBeenCalledTimes(1);
    await expect(reports.keyOf(RECORD.id)).rejects.toThrow();
  });

  it('forRootAsync: options from a factory with injected dependencies, global when asked', async () => {
    @Module({ providers: [{ provide: UPSTREAM_URL, useValue: server.url }], exports: [UPSTREAM_URL] })
    class UpstreamConfigModule {}

    @Module({ providers: [ReportService] })
    class TeamModule {
      constructor(@Inject(ReportService) readonly reports: ReportService) {}
    }

    let tokens = 0;
    const moduleRef = await Test.createTestingModule({
      imports: [
        DataApiClientModule.forRootAsync({
          imports: [UpstreamConfigModule],
          inject: [UPSTREAM_URL],
          useFactory: async (baseUrl: string) => ({ baseUrl, token: async () => `rotating-${++tokens}` }),
          isGlobal: true,
        }),
        TeamModule,
      ],
    }).compile();
    await moduleRef.init();
    const reports = moduleRef.get(ReportService);
    await reports.keyOf(RECORD.id);
    await reports.keyOf(RECORD.id);
    expect(authorizations.slice(-2)).toEqual(['Bearer rotating-1', 'Bearer rotating-2']);
    await moduleRef.close();
  });
});
