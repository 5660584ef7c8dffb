-- Demo: deadlines as officers set them: a quarter of a year's cases due at the end of
-- the list year, a quarter by the middle of the next, half by the end of the next; so
-- some open cases are overdue and some are not.
UPDATE governance_case c
   SET deadline = CASE abs(hashtext(c.id::text || '#deadline')) % 4
                      WHEN 0 THEN make_date(:year, 12, 31)
                      WHEN 1 THEN make_date(:year + 1, 6, 30)
                      ELSE make_date(:year + 1, 12, 31) END
 WHERE c.year = :year AND c.source = 'list'
