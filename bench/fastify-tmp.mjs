import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
class C { about() { return { version: ['1.0.3'] }; } }
Get()(C.prototype, 'about', Object.getOwnPropertyDescriptor(C.prototype, 'about'));
Controller('x')(C);
class M {}
Module({ controllers: [C] })(M);
const app = await NestFactory.create(M, new FastifyAdapter(), { logger: false });
await app.listen(3494, '127.0.0.1');
