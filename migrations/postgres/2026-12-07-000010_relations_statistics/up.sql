-- The planner's statistics on which targets go with which relation: on its own it multiplies
-- the two columns' frequencies, so `fund = mmptf` (three programmes in ten) was estimated at
-- 2,479 of 374,192 links, and `country=PH&fund=mmptf` was planned as a hash of all 30,052 links
-- and a sort (30 ms) rather than a walk of the country's programmes (1.3 ms). Measured at
-- 100,000 programmes, bench/RESULTS.md (session 20). ANALYZE runs after migrations.
CREATE STATISTICS relations_relation_target (mcv) ON relation, target_id FROM relations; -- postgres only
