SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['attendance','exemptions']) AS t;
