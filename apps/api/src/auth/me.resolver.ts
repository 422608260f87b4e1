import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { ANY_SIGNED_IN, Allow, type Principal } from './access.js';
import { CurrentPrincipal } from './access.guard.js';
import { UserModel } from './models.js';
import { SessionService } from './session.service.js';

@Resolver(() => UserModel)
export class MeResolver {
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}

  @Query(() => UserModel, { description: 'The signed-in user, with their roles and scopes' })
  @Allow(ANY_SIGNED_IN)
  async me(@CurrentPrincipal() principal: Principal): Promise<UserModel> {
    return (await this.sessions.users.findById(principal.userId))!;
  }
}
