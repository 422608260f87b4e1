import { Module } from '@nestjs/common';
import { DirectoryResolver } from './directory.resolver.js';

/** The school directory over GraphQL: territories, establishments, classes. */
@Module({ providers: [DirectoryResolver] })
export class DirectoryModule {}
