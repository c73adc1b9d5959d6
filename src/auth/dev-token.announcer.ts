import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { authConfig, type AuthConfig } from '../config/index.js';
import { SCOPES } from './caller.js';
import { mintToken } from './token-minter.js';

/**
 * Development convenience: with no key configured the service signs with a secret that lives
 * as long as the process, and logs one token for it so curl works straight away.
 */
@Injectable()
export class DevTokenAnnouncer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly jwt: JwtService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.verification.kind !== 'secret' || !this.config.verification.ephemeral) return;
    const token = mintToken(
      this.config,
      { sub: 'dev', scope: `${SCOPES.read} ${SCOPES.write}`, ttlSeconds: 12 * 3600 },
      this.jwt,
    );
    this.logger.warn('No JWT key configured: using an ephemeral secret (development only). Token for sub "dev", scope "data:read data:write", valid 12h:');
    this.logger.warn(token);
  }
}
