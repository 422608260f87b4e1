import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AccessRegistry } from './access-registry.js';
import { ApiCredentialsService } from './api-credentials.service.js';
import { LrsModule } from '../lrs/lrs.module.js';
import { AuthController } from './auth.controller.js';
import { MeResolver } from './me.resolver.js';
import { ScopeService } from './scope.service.js';
import { SessionService } from './session.service.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** Sign-in, sessions, and the guard every route and resolver passes through. */
@Global()
@Module({
  imports: [DiscoveryModule, LrsModule],
  controllers: [AuthController],
  providers: [
    SessionService,
    ScopeService,
    AccessRegistry,
    ApiCredentialsService,
    MeResolver,
    SignInThrottle,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [SessionService, ScopeService, AccessRegistry],
})
export class AuthModule {}
