SELECT hocba_guard_school_table('signature_images');
