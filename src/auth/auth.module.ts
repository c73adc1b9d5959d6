import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { DevTokenAnnouncer } from './dev-token.announcer.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { ScopesGuard } from './guards/scopes.guard.js';
import { JwtStrategy } from './jwt.strategy.js';

/** Global authentication (JwtAuthGuard) then authorization (ScopesGuard), in that order. */
@Module({
  imports: [PassportModule, JwtModule.register({})],
  providers: [
    JwtStrategy,
    DevTokenAnnouncer,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ScopesGuard },
  ],
})
export class AuthModule {}
