-- Demo: move a year's cases from the 治理清单 one step along the life cycle, for the
-- share of them whose stable draw u = hash(id) mod 100 lies in [:u_min, :u_max), and
-- write the events (dates spread from :on_date over :spread_days, never after :today).
-- Run once per step (已列入, the in-progress state of each action, 已出清, 已退出), so
-- the database guard sees only allowed pairs. :to_state 'progress' means 整治中 for
-- 整治提升/兼并重组 and 腾退中 for 关停淘汰/腾退盘活.
WITH drawn AS (
    SELECT c.id, c.state AS from_state, c.action,
           abs(hashtext(c.id::text || '#landgov-demo')) % 100 AS u
    FROM governance_case c
    WHERE c.year = :year AND c.source = 'list' AND c.state = ANY(CAST(:from_states AS text[]))
), target AS (
    SELECT d.id, d.from_state, d.u,
           CASE WHEN :to_state <> 'progress' THEN CAST(:to_state AS text)
                WHEN d.action IN ('upgrade', 'merge') THEN '整治中' ELSE '腾退中' END AS to_state
    FROM drawn d
    WHERE d.u >= :u_min AND d.u < :u_max
), moved AS (
    UPDATE governance_case c
       SET state = t.to_state,
           exit_reason = CASE WHEN t.to_state = '已退出' THEN CAST(:note AS text)
                              ELSE c.exit_reason END
      FROM target t
     WHERE c.id = t.id
    RETURNING c.id, t.from_state, t.to_state, t.u
)
INSERT INTO governance_case_event (case_id, from_state, to_state, event_date, actor, note)
SELECT m.id, m.from_state, m.to_state,
       LEAST(CAST(:on_date AS date) + (m.u * 7919 % GREATEST(:spread_days, 1)), CAST(:today AS date)),
       '经信局 (演示)', :note
FROM moved m
