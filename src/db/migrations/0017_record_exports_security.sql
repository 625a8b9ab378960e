SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['record_exports','record_export_chunks']) AS t;
