-- How fresh the visit rollups are (libs/indicators visit-rollup.ts rollupsAsOf, a view's meta.asOf): each catch-up
-- that recomputed every dirty month records when it started (less the in-flight margin), before which every
-- statement is counted. Only the latest matters.
CREATE TABLE IF NOT EXISTS visit_complete {on_cluster}
(
    at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY tuple();
