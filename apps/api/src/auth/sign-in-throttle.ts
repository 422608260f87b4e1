import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KnownDeviceRepository, SignInThrottleRepository, type Store, type ThrottleRule } from '@ent-observatory/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ENV, STORE } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { cookieValue, isSecureRequest } from './session.service.js';

export const DEVICE_COOKIE = 'ento_device';
/** 400 days: the longest a browser keeps a cookie. */
const DEVICE_MAX_AGE = 400 * 24 * 3600;
/** Known browsers remembered per account; older ones become unknown again. */
const DEVICES_PER_ACCOUNT = 20;
/** The longest wait for one account from one client; the keys shared by many clients wait at most a minute. */
const CLIENT_MAX_DELAY = 15 * 60;
const SHARED_MAX_DELAY = 60;
const PRUNE_EVERY_MS = 3600_000;

/** Who is trying to sign in, as the throttle counts them. */
export interface SignInClient {
  /** The keys this attempt counts against; the first is the client's own. */
  rules: ThrottleRule[];
  deviceToken: string | undefined;
  knownDevice: boolean;
}

/**
 * Sign-in throttling that slows guessing down without locking anyone out (docs/security.md, "Sign-in"), the way
 * identity servers do it (OWASP's device cookies; Keycloak's and Okta's per-client lock-outs):
 * - a browser that signed in to the account before (device cookie) is counted on its own: SIGN_IN_MAX_FAILURES
 *   free failures, then waits of 1, 2, 4 s… up to 15 minutes — whatever anyone else does, its owner's right
 *   password keeps working;
 * - any other client is counted per (account, client address) the same way, plus per account across all unknown
 *   clients (4× the free failures) and per address across all accounts (10×), those two waiting at most a minute:
 *   a distributed attack on one account, or one address trying many accounts, is slowed for unknown clients only.
 * Nothing ever locks: the longest wait is 15 minutes, and a success forgives the client's failures.
 */
@Injectable()
export class SignInThrottle implements OnModuleInit, OnModuleDestroy {
  private readonly throttle: SignInThrottleRepository;
  private readonly devices: KnownDeviceRepository;
  private pruning: NodeJS.Timeout | undefined;

  constructor(
    @Inject(STORE) store: Store,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.throttle = new SignInThrottleRepository(store);
    this.devices = new KnownDeviceRepository(store);
  }

  async onModuleInit(): Promise<void> {
    await this.throttle.prune();
    this.pruning = setInterval(() => void this.throttle.prune().catch(() => undefined), PRUNE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruning);
  }

  /** The keys an attempt on `account` (a normalised email; `userId` when it exists) from this request counts on. */
  async clientOf(req: FastifyRequest, account: string, userId: string | undefined): Promise<SignInClient> {
    const n = this.env.SIGN_IN_MAX_FAILURES;
    const deviceToken = cookieValue(req, DEVICE_COOKIE);
    const knownDevice = !!deviceToken && !!userId && (await this.devices.ownerOf(deviceToken)) === userId;
    if (knownDevice) {
      return {
        rules: [{ key: `device:${deviceToken}|${account}`, freeFailures: n, maxDelaySeconds: CLIENT_MAX_DELAY }],
        deviceToken,
        knownDevice,
      };
    }
    return {
      rules: [
        { key: `address:${req.ip}|${account}`, freeFailures: n, maxDelaySeconds: CLIENT_MAX_DELAY },
        { key: `unknown-clients|${account}`, freeFailures: 4 * n, maxDelaySeconds: SHARED_MAX_DELAY },
        { key: `address:${req.ip}`, freeFailures: 10 * n, maxDelaySeconds: SHARED_MAX_DELAY },
      ],
      deviceToken,
      knownDevice,
    };
  }

  /**
   * Counts the attempt before the password is checked, so that parallel guesses cannot all pass; returns the
   * seconds to wait instead (nothing counted) when the client must slow down.
   */
  async admit(client: SignInClient): Promise<number> {
    const wait = await this.throttle.waitSeconds(client.rules.map((r) => r.key));
    if (wait > 0) return wait;
    for (const rule of client.rules) {
      if (!(await this.throttle.take(rule))) return Math.max(1, await this.throttle.waitSeconds([rule.key]));
    }
    return 0;
  }

  /** The password was wrong: each key's wait starts now. */
  async failed(client: SignInClient): Promise<void> {
    for (const rule of client.rules) await this.throttle.failed(rule);
  }

  /** The password was right: the client's failures are forgiven, and its browser becomes a known device. */
  async succeeded(client: SignInClient, userId: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [own, ...shared] = client.rules;
    if (own) await this.throttle.forgive(own.key);
    for (const rule of shared) await this.throttle.refund(rule.key);
    const token = client.knownDevice && client.deviceToken ? client.deviceToken : randomBytes(32).toString('base64url');
    await this.devices.remember(token, userId, DEVICES_PER_ACCOUNT);
    const secure = isSecureRequest(this.env, req) ? '; Secure' : '';
    void reply.header(
      'Set-Cookie',
      `${DEVICE_COOKIE}=${token}; Path=/auth/sign-in; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_MAX_AGE}${secure}`,
    );
  }
}
