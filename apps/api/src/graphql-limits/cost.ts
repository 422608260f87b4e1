import { UseInterceptors, applyDecorators } from '@nestjs/common';
import { Extensions } from '@nestjs/graphql';
import type { ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { ViewConcurrencyInterceptor } from './view-concurrency.interceptor.js';

/** The period a view's base cost is measured on: about half a school year (bench/results/indicators-*.md). */
const REFERENCE_DAYS = 183;
const MIN_PERIOD_FACTOR = 0.25;
const MAX_PERIOD_FACTOR = 2;

type Args = Record<string, unknown>;

/**
 * The cost of a root field in GraphQL cost units (about 1 ms of CPU on the 10M-statement benchmark), declared where
 * the field is: `@Cost(5)` for a cheap look-up, `@Cost((args) => …)` when it depends on the arguments. A field
 * without a declared cost counts 1 per field selected. Requests over GRAPHQL_MAX_COST are refused before anything
 * runs (docs/security.md, "GraphQL limits").
 */
export function Cost(cost: number | ((args: Args) => number)) {
  const complexity = ({ args, childComplexity }: ComplexityEstimatorArgs) =>
    Math.ceil(typeof cost === 'number' ? cost : cost(args)) + childComplexity;
  return Extensions({ complexity });
}

/**
 * An expensive view over the warehouse: its cost is `base` — the measured CPU milliseconds of the view for a
 * national user over half a school year — scaled by the period its `filter` covers (a quarter of it for a week, up
 * to twice for a year), and it runs under the per-user view concurrency limit (VIEW_CONCURRENCY_PER_USER) so that
 * one user cannot take the warehouse from the others. `base` may depend on the other arguments.
 */
export function ViewCost(base: number | ((args: Args) => number)) {
  return applyDecorators(
    Cost((args) => (typeof base === 'number' ? base : base(args)) * periodFactor(args.filter)),
    UseInterceptors(ViewConcurrencyInterceptor),
  );
}

/** How much more (or less) than the reference half-year a filter's period reads; unknown periods count the most. */
export function periodFactor(filter: unknown): number {
  if (filter === undefined || filter === null) return 1;
  const { from, to } = filter as { from?: unknown; to?: unknown };
  const days = (Date.parse(String(to)) - Date.parse(String(from))) / 86_400_000 + 1;
  if (!Number.isFinite(days) || days < 1) return MAX_PERIOD_FACTOR;
  return Math.min(MAX_PERIOD_FACTOR, Math.max(MIN_PERIOD_FACTOR, days / REFERENCE_DAYS));
}
