DROP STATISTICS relations_relation_target; -- postgres only
