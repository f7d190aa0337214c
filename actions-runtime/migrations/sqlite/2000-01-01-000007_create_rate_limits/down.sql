DROP TABLE action_rate_limits;
