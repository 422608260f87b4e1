import { Module } from '@nestjs/common';
import { LrsModule } from '../lrs/lrs.module.js';
import { AdminResolver } from './admin.resolver.js';
import { ImportController } from './import.controller.js';

/** What admins manage: accounts and roles, LRS credentials, directory imports. */
@Module({
  imports: [LrsModule],
  controllers: [ImportController],
  providers: [AdminResolver],
})
export class AdminModule {}
