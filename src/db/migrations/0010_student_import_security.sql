SELECT hocba_guard_school_table(t) FROM unnest(ARRAY['student_imports','import_mappings','reference_extracts','reconciliation_resolutions']) AS t;
